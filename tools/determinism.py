"""`make determinism`: nbval over every notebook as other CPUs would run it.

PyTorch, MKL and oneDNN choose their kernels by the CPU's instruction set, so the same
notebook can print other last digits on a student's laptop than on the machine that stored
its outputs. Three switches make this machine compute as an older or simpler CPU would, one
process at a time. nbval runs every notebook under each configuration below, with 1 and with 2
CPU threads; a stored output that any of them contradicts fails.

The rule the notebooks follow (README, "For maintainers"): nbval compares only what is
well-conditioned. A result that rounding can flip is made robust, or printed in a cell tagged
``nbval-ignore-output`` with its property printed (and compared) next to it.

    python -m tools.determinism                       # every configuration, 1 and 2 threads
    python -m tools.determinism --config scalar --threads 1   # what CI runs after make test
    python -m tools.determinism notebooks/05_gradients_through_time.ipynb
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from tools.paths import NOTEBOOK_DIRS, ROOT

# name -> environment variables. "native" is whatever this CPU has.
CONFIGS: dict[str, dict[str, str]] = {
    "native": {},
    # PyTorch's own kernels without vectorisation, as on a CPU it has no kernels for.
    "aten-default": {"ATEN_CPU_CAPABILITY": "default"},
    # An AVX2 laptop (no AVX-512): PyTorch, MKL (BLAS) and oneDNN all limited to AVX2.
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
             "ONEDNN_MAX_CPU_ISA": "AVX2"},
    # The most different from a current x86 CPU: scalar PyTorch kernels, AVX2 BLAS and oneDNN.
    "scalar": {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
               "ONEDNN_MAX_CPU_ISA": "AVX2"},
}
THREADS = (1, 2)


def describe(name: str) -> str:
    settings = " ".join(f"{k}={v}" for k, v in CONFIGS[name].items())
    return f"{name} ({settings or 'this CPU as it is'})"


def run_nbval(name: str, threads: int, paths: list[str]) -> tuple[bool, float]:
    """nbval over ``paths`` under one configuration; returns (passed, seconds)."""
    env = {**os.environ, **CONFIGS[name],
           "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    # nbval and its options come from pyproject.toml and conftest.py, as for `make test`.
    command = [sys.executable, "-m", "pytest", "-q", *paths]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env)
    return result.returncode == 0, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", action="append", choices=sorted(CONFIGS),
                        help="only this configuration (repeatable; default: all)")
    parser.add_argument("--threads", type=int, action="append",
                        help="a CPU thread count to try (repeatable; default: 1 and 2)")
    parser.add_argument("paths", nargs="*", default=list(NOTEBOOK_DIRS),
                        help="notebooks or folders (default: notebooks solutions)")
    args = parser.parse_args(argv)
    args.threads = args.threads or list(THREADS)
    if any(t < 1 for t in args.threads):
        parser.error("--threads takes whole numbers >= 1")
    results = []
    for name in args.config or list(CONFIGS):
        for threads in args.threads:
            print(f"== nbval, {describe(name)}, {threads} thread(s)", flush=True)
            passed, seconds = run_nbval(name, threads, args.paths)
            results.append((name, threads, passed, seconds))
    print("\n== determinism: nbval per CPU configuration")
    for name, threads, passed, seconds in results:
        verdict = "passed" if passed else "FAILED"
        print(f"{verdict:<7} {name:<13} {threads} thread(s)  {seconds:5.0f} s")
    failed = [r for r in results if not r[2]]
    if failed:
        print(f"{len(failed)} of {len(results)} runs failed: a stored output depends on the CPU. "
              "See README, 'For maintainers', for the rule.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
