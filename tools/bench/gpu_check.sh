#!/usr/bin/env bash
# Run every notebook's code on this machine's GPU (device="auto" picks CUDA) without Jupyter,
# and say for each whether it finished and reached its lesson's targets (TARGETS in
# tools/bench/as_script.py); then time the seed sweeps and nn.RNN vs. an RNNCell loop
# on the CPU and the GPU (tools/bench/sweeps.py). Needs only python3 with torch and
# matplotlib. Usage, from the repository root:
#   bash tools/bench/gpu_check.sh            # all notebooks and solutions, then the benchmark
#   bash tools/bench/gpu_check.sh notebooks/01_rnncell_onehot.ipynb   # only these notebooks
# Exit status 1 if a notebook fails or misses a target, or the sweeps disagree.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" MPLBACKEND=Agg TQDM_DISABLE=1
python3 -c "import torch; print('torch', torch.__version__, '| CUDA:', torch.cuda.is_available() and torch.cuda.get_device_name(0))"
# The GPU machine may lack tqdm (lesson 06's progress bar). Without it, use a stand-in that
# only counts: the lesson's numbers do not depend on the bar.
if ! python3 -c "import tqdm" 2>/dev/null; then
  shim=$(mktemp -d)
  cat > "$shim/tqdm.py" <<'PY'
"""Stand-in for tqdm on machines without it (tools/bench/gpu_check.sh): no bar, same calls."""


class tqdm:  # noqa: N801 (the real package's name)
    def __init__(self, iterable=None, total=None, **kwargs):
        self.iterable, self.total, self.n = iterable, total, 0

    def __iter__(self):
        for item in self.iterable:
            self.n += 1
            yield item

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1):
        self.n += n

    def close(self):
        pass

    @staticmethod
    def write(text, **kwargs):
        print(text)
PY
  export PYTHONPATH="$PYTHONPATH:$shim"
  echo "tqdm is not installed here: using a stand-in without a progress bar"
fi
# Lesson 07 needs num2words (pure Python), which a GPU machine without network may lack. Copy
# it from the course's venv into build/gpu-deps/ first and carry that folder with the tree:
#   mkdir -p build/gpu-deps && cp -r .venv/lib/python3*/site-packages/{num2words,docopt.py} build/gpu-deps/
if ! python3 -c "import num2words" 2>/dev/null; then
  if [ -d build/gpu-deps/num2words ]; then
    export PYTHONPATH="$PYTHONPATH:$PWD/build/gpu-deps"
    echo "num2words is not installed here: using the copy in build/gpu-deps/"
  else
    echo "num2words is not installed here, and build/gpu-deps/ has no copy: lesson 07 will fail"
  fi
fi
status=0
if [ $# -gt 0 ]; then notebooks=("$@"); bench=0; else
  notebooks=(notebooks/*.ipynb solutions/*.ipynb); bench=1; fi
for nb in "${notebooks[@]}"; do
  [ -e "$nb" ] || continue
  # A student version is skipped there (it stops at its first task by design).
  python3 -m tools.bench.as_script "$nb" 2>&1 | grep -v "FigureCanvasAgg is non-interactive" || status=1
done
if [ $bench = 1 ]; then
  echo
  python3 -m tools.bench.sweeps || status=1
fi
exit $status
