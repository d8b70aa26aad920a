#!/usr/bin/env bash
# Run every notebook's code on this machine's GPU (device="auto" picks CUDA) without Jupyter,
# and say for each whether it finished and reached its targets. Needs only python3 with torch
# and matplotlib, and the repository on PYTHONPATH. Usage, from the repository root:
#   bash benchmarks/gpu_check.sh            # all notebooks and solutions
#   bash benchmarks/gpu_check.sh notebooks/01_rnncell_onehot.ipynb
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" MPLBACKEND=Agg TQDM_DISABLE=1
python3 -c "import torch; print('torch', torch.__version__, '| CUDA:', torch.cuda.is_available() and torch.cuda.get_device_name(0))"
status=0
if [ $# -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/*.ipynb solutions/*.ipynb); fi
for nb in "${notebooks[@]}"; do
  [ -e "$nb" ] || continue
  # Student versions stop at their first unfinished task by design: run the solutions instead.
  if python3 -c "import json,sys; sys.exit(0 if json.load(open('$nb'))['metadata'].get('course',{}).get('student_version') else 1)"; then
    echo "skipped  $nb (student version; its solution is checked instead)"; continue
  fi
  python3 benchmarks/notebook_as_script.py "$nb" 2>&1 | grep -v "FigureCanvasAgg is non-interactive" || status=1
done
exit $status
