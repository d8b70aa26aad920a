"""Run every benchmark (``tools.bench.BENCHMARKS``, in order), or the ones named.

``make bench`` calls this. Each benchmark runs in its own Python process (so one benchmark's
thread or device settings never leak into the next) and prints its own table. Extra arguments
after ``--`` are passed to every benchmark. Exit status: 1 if any benchmark failed.

    .venv/bin/python -m tools.bench                       # all
    .venv/bin/python -m tools.bench sweeps                # only tools/bench/sweeps.py
    .venv/bin/python -m tools.bench sweeps -- --seeds 20 --epochs 15
"""

from __future__ import annotations

import subprocess
import sys
import time

from tools.bench import BENCHMARKS
from tools.paths import ROOT


def chosen(names: list[str]) -> list[str]:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"no benchmark named {', '.join(unknown)}; known: {list(BENCHMARKS)}")
    return names or list(BENCHMARKS)


def main(argv: list[str]) -> int:
    names, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv \
        else (argv, [])
    failed = []
    for name in chosen(names):
        module = f"tools.bench.{name}"
        print(f"=== {module} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", module, *extra], cwd=ROOT)
        print(f"=== {module}: {'ok' if code == 0 else f'FAILED ({code})'}, "
              f"{time.perf_counter() - start:.0f} s ===\n", flush=True)
        if code:
            failed.append(module)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
