"""The benchmarks (`make bench`, ``python -m tools.bench``): speed figures printed, not timed
tests. README.md in this folder lists them; ``as_script`` and ``gpu_check.sh`` run the
notebooks without Jupyter, on a GPU machine."""

# The benchmarks `make bench` runs, in this order, each as ``python -m tools.bench.<name>``.
BENCHMARKS = ("notebooks", "sweeps", "rounding")
