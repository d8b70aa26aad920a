"""Run every benchmark script in this folder (``bench_*.py``, in name order), or the ones named.

``make bench`` calls this. Each script runs in its own Python process (so one script's thread
or device settings never leak into the next) and prints its own table. Extra arguments after
``--`` are passed to every script. Exit status: 1 if any script failed.

    .venv/bin/python benchmarks/run_all.py                 # all
    .venv/bin/python benchmarks/run_all.py sweeps          # only bench_sweeps.py
    .venv/bin/python benchmarks/run_all.py sweeps -- --seeds 20 --epochs 15
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(names: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if not names:
        return found
    chosen = []
    for name in names:
        path = HERE / f"bench_{name.removeprefix('bench_').removesuffix('.py')}.py"
        if path not in found:
            known = [p.stem.removeprefix("bench_") for p in found]
            raise SystemExit(f"no benchmark named {name!r}; known: {known}")
        chosen.append(path)
    return chosen


def main(argv: list[str]) -> int:
    names, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv \
        else (argv, [])
    failed = []
    for path in scripts(names):
        print(f"=== {path.name} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(path), *extra], cwd=HERE.parent)
        print(f"=== {path.name}: {'ok' if code == 0 else f'FAILED ({code})'}, "
              f"{time.perf_counter() - start:.0f} s ===\n", flush=True)
        if code:
            failed.append(path.name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
