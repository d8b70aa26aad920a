"""`make determinism`: nbval over every notebook as other CPUs would run it.

PyTorch, MKL and oneDNN choose their kernels by the CPU's instruction set, so the same
notebook can print other last digits on a student's laptop than on the machine that stored
its outputs. Three switches make this machine compute as an older or simpler CPU would, one
process at a time. nbval runs every notebook under each configuration below, with 1 and with 2
CPU threads; a stored output that any of them contradicts fails. Each run sets its
configuration's switches and thread counts over whatever the caller's environment holds (and
drops the caller's other CPU switches): the configuration is what runs.

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
# Every variable that picks a CPU's kernels or a thread count. A configuration sets its own and
# removes the others from the environment it runs nbval in, so that a value already in the
# caller's environment (a maintainer's shell, a CI image) never changes what it emulates:
# "native" under ATEN_CPU_CAPABILITY=avx2 would otherwise be an AVX2 run. Besides the three
# switches: oneDNN's older name for its own (DNNL_), MKL's reproducibility mode (MKL_CBWR, which
# also picks a code path) and MKL's per-domain thread counts.
CPU_VARIABLES = ("ATEN_CPU_CAPABILITY", "MKL_ENABLE_INSTRUCTIONS", "ONEDNN_MAX_CPU_ISA",
                 "DNNL_MAX_CPU_ISA", "MKL_CBWR")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "MKL_DOMAIN_NUM_THREADS")


def describe(name: str) -> str:
    settings = " ".join(f"{k}={v}" for k, v in CONFIGS[name].items())
    return f"{name} ({settings or 'this CPU as it is'})"


def environment(name: str, threads: int, base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (the caller's environment) with the configuration's CPU switches and the thread
    count, and none of the caller's own (``CPU_VARIABLES``, ``THREAD_VARIABLES``)."""
    base = dict(os.environ if base is None else base)
    kept = {k: v for k, v in base.items() if k not in CPU_VARIABLES + THREAD_VARIABLES}
    return {**kept, **CONFIGS[name],
            "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}


def overridden(base: dict[str, str] | None = None) -> list[str]:
    """The caller's CPU variables that the configurations replace (``NAME=value``)."""
    base = dict(os.environ if base is None else base)
    return [f"{k}={base[k]}" for k in CPU_VARIABLES if k in base]


def run_nbval(name: str, threads: int, paths: list[str]) -> tuple[bool, float]:
    """nbval over ``paths`` under one configuration; returns (passed, seconds)."""
    env = environment(name, threads)
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
    if overridden():
        print(f"ignoring {' '.join(overridden())} from the environment: each configuration "
              "sets its own", flush=True)
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
