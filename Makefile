# RNN basics in PyTorch: every command a student, an instructor or CI needs.
# Each target installs what it needs first; `make install` is fast when nothing changed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
PORT   ?= 8888

# Same environment for tests, `make run` and `make refresh`, so stored outputs match.
export JUPYTER_PREFER_ENV_PATH := 1
export PYTHONHASHSEED := 0
export TQDM_DISABLE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help install lab run slides test refresh student clean determinism bench

help:
	@echo "make lab      open the course in JupyterLab (installs first)"
	@echo "make test     lint, unit tests, nbval and papermill tests"
	@echo "make run      execute every notebook into build/executed/"
	@echo "make slides   offline reveal.js decks in build/slides/, handouts in build/handouts/"
	@echo "make refresh  re-execute notebooks in place (maintainers; FORCE=1 to overwrite edits)"
	@echo "              NOTEBOOKS=\"01_rnncell_onehot.ipynb ...\" limits run/refresh to some notebooks"
	@echo "make student  make the student versions of the homework from solutions/"
	@echo "make determinism  nbval over every notebook with 1 and 2 threads, each twice"
	@echo "make install  create .venv from requirements/lock.txt"
	@echo "make clean    remove build/ and caches (keeps .venv)"
	@echo "make bench    benchmarks: seed sweeps, RNN vs RNNCell, notebook times (benchmarks/)"

install: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: $(PYTHON) not found. The course needs Python 3.11 (torch 2.13.0 is pinned)."; \
	  echo "       Install Python 3.11, or point make at it: make PYTHON=/path/to/python3.11 install"; \
	  exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (RNN course)" >/dev/null
	@touch $(STAMP)
	@echo "Environment ready in $(VENV)."

lab: install
	@# Containers and class servers often run as root, which JupyterLab refuses unless told.
	$(BIN)/jupyter lab --notebook-dir=. --port=$(PORT) $(if $(filter 0,$(shell id -u)),--allow-root,) \
	  notebooks/01_rnncell_onehot.ipynb

run: install
	$(PY) scripts/run_notebooks.py --out build/executed $(NOTEBOOKS)

test: install
	$(BIN)/ruff check .
	@# One pytest run, one summary line. pytest exits 5 when it collects nothing:
	@# make treats that, like any non-zero status, as a failure.
	@# Two pytest workers with one torch thread each: no oversubscription of small CPUs.
	OMP_NUM_THREADS=1 $(PY) -m pytest -n 2 --dist loadscope $(NBVAL) tests notebooks solutions

# The stored outputs must not depend on the thread count or on the run: nbval over every
# notebook with 1 and with 2 CPU threads, each twice in a row.
determinism: install
	@for threads in 1 1 2 2; do \
	  echo "== nbval with $$threads thread(s)"; \
	  OMP_NUM_THREADS=$$threads MKL_NUM_THREADS=$$threads \
	    $(PY) -m pytest -q $(NBVAL) notebooks solutions || exit 1; \
	done

# Decks and handouts from the stored outputs (nothing is executed). The script runs `npm ci`
# in slides/ when slides/node_modules is missing or does not match slides/package-lock.json,
# then copies reveal.js, require.js, jQuery and MathJax into build/slides/assets/.
slides: install
	$(PY) scripts/build_slides.py --out build

refresh: install
	OMP_NUM_THREADS=1 $(PY) scripts/refresh_notebooks.py $(if $(FORCE),--force,) $(NOTEBOOKS)
	$(PY) scripts/make_student_version.py

student: install
	$(PY) scripts/make_student_version.py

bench: install
	$(PY) benchmarks/run_all.py

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
