# RNN basics in PyTorch: every command a student, an instructor or CI needs.
# Each target installs what it needs first; `make install` is fast when nothing changed.

# The first of these that runs and is Python 3.11, 3.12 or 3.13 (PYTHON=/path/to/python overrides).
# Evaluated only when a venv is made: a failing candidate (e.g. a pyenv shim) is skipped.
PYTHON_CANDIDATES := python3.11 python3.12 python3.13 python3 python
PYTHON ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c "import sys; print('ok' if (3, 11) <= sys.version_info[:2] <= (3, 13) else '')" 2>/dev/null | grep -q ok && echo $(p))))
VENV   := .venv
BIN    := $(VENV)/$(if $(filter Windows_NT,$(OS)),Scripts,bin)
PY     := $(BIN)/python
# Linux only: TORCH_CPU=1 installs torch's CPU build (about 200 MB) from PyTorch's own index
# instead of PyPI's default Linux build with CUDA (about 2.7 GB). Same version, same results.
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu
STAMP  := $(VENV)/.installed
PORT   ?= 8888

# Same environment for `make run` and `make refresh` as for the tests (conftest.py sets it
# for pytest, so that plain `pytest` needs no make), so stored outputs match.
export JUPYTER_PREFER_ENV_PATH := 1
export PYTHONHASHSEED := 0
export TQDM_DISABLE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install lab reset lab-course run slides check test test-slow refresh student clean determinism bench pythons instructor translations zh mutation

help:
	@echo "make lab      open your copy of the course (my-notebooks/) in JupyterLab (installs first)"
	@echo "make lab EDITION=zh  the same with the Chinese edition (中文版: my-notebooks/zh/)"
	@echo "make reset LESSON=01  the course's version of a lesson; yours is kept in my-notebooks/backups/"
	@echo "make lab-course  maintainers: JupyterLab on the course's own notebooks"
	@echo "make check    ruff and the unit tests, under 30 s: the loop while you edit"
	@echo "make test     lint, unit tests, nbval and papermill tests"
	@echo "make test-slow  the slow tool tests: the README's route without make, nbgrader, decks in a browser"
	@echo "make run      execute every notebook into build/executed/"
	@echo "make slides   offline reveal.js decks in build/slides/, handouts in build/handouts/"
	@echo "make refresh  re-execute notebooks in place (maintainers; FORCE=1 to overwrite edits)"
	@echo "              NOTEBOOKS=\"01_rnncell_onehot.ipynb ...\" limits run/refresh to some notebooks"
	@echo "make student  make the student versions of the homework from solutions/"
	@echo "make translations  update the Chinese catalogues locales/zh_CN/*.po from the English notebooks"
	@echo "make zh       build the Chinese notebooks (notebooks/zh/, solutions/zh/) from the catalogues"
	@echo "make instructor  add nbgrader to .venv (requirements/instructor.txt), to grade homework 04"
	@echo "make determinism  nbval over every notebook as other CPUs run it (1 and 2 threads)"
	@echo "make pythons  the lock, unit tests and nbval in a fresh venv per Python 3.11-3.13 found"
	@echo "make install  create .venv from requirements/lock.txt"
	@echo "make clean    remove build/ and caches (keeps .venv)"
	@echo "make bench    benchmarks: notebook times, seed sweeps, RNN vs RNNCell (tools/bench/)"
	@echo "make mutation maintainers: mutation testing of course_utils and tools (build/mutation/)"

install: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	@test -x $(PY) || { \
	  test -n "$(PYTHON)" || { \
	    echo "error: no Python 3.11, 3.12 or 3.13 found (tried: $(PYTHON_CANDIDATES))."; \
	    echo "       Install one (python.org, your package manager, pyenv), or point make at it:"; \
	    echo "       make PYTHON=/path/to/python3.12 install"; \
	    exit 1; }; \
	  $(PYTHON) -m venv $(VENV); }
	$(if $(TORCH_CPU),$(PY) -m pip install --quiet --index-url $(TORCH_CPU_INDEX) torch==2.13.0)
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m tools.notebooks install-kernel
	@touch $(STAMP)
	@echo "Environment ready in $(VENV)."

# The student's own copy, my-notebooks/ (git ignores it): made on first use, new lessons added
# later, nothing of theirs overwritten; lessons the course changed are named (tools/lab.py).
lab: install
	$(PY) -m tools.lab --make --port=$(PORT) $(if $(EDITION),--edition=$(EDITION),)

# The course's version of one lesson into my-notebooks/, the student's kept in backups/.
reset: install
	@test -n "$(LESSON)" || { echo "error: say which lesson, e.g. make reset LESSON=01"; exit 1; }
	$(PY) -m tools.lab --make --reset $(LESSON) $(if $(EDITION),--edition=$(EDITION),)

# Maintainers: JupyterLab on the course itself (notebooks/, solutions/), to edit the lessons.
lab-course: install
	@# Containers and class servers often run as root, which JupyterLab refuses unless told.
	$(BIN)/jupyter lab --notebook-dir=. --port=$(PORT) $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

run: install
	$(PY) -m tools.run --out build/executed $(NOTEBOOKS)

# One pytest run, one summary line; its options are in pyproject.toml and conftest.py.
# pytest exits 5 when it collects nothing: make treats that, like any non-zero status, as a
# failure. The tests that take a minute or more each are left to `make test-slow` (CI runs it
# after `make test`); plain `pytest` in the repository root runs both, ruff included.
SLOW_TESTS := tests/test_make_free_route.py tests/test_nbgrader.py tests/test_slides_browser.py

test: install
	$(PY) -m pytest $(addprefix --ignore=,$(SLOW_TESTS))

# The README's route without make in a copy of the course, homework 04 graded by nbgrader
# (`make instructor` first, or it is skipped), every deck and handout in headless chromium.
test-slow: install
	$(PY) -m pytest $(SLOW_TESTS)

# The edit loop: ruff, then the unit tests (marker `unit`, tests/conftest.py), a test file per
# worker on the two workers of pyproject.toml (the homework checks' tests train small models:
# one process took about 40 s on 2 cores, two take about 25 s).
check: install
	$(BIN)/ruff check .
	$(PY) -m pytest -m unit -q --dist loadfile

# The stored outputs must not depend on the CPU or the thread count: nbval over every notebook
# under several emulated CPUs (tools/determinism.py lists them), with 1 and with 2 threads.
determinism: install
	$(PY) -m tools.determinism

# The lock in a fresh venv (build/pythons/) per Python 3.11-3.13 on this machine, then the
# unit tests and nbval there.
pythons:
	$(or $(PYTHON),python3) -m tools.pythons

# Decks and handouts from the stored outputs (nothing is executed). The script runs `npm ci`
# in slides/ when slides/node_modules is missing or does not match slides/package-lock.json,
# then copies reveal.js, require.js, jQuery and MathJax into build/slides/assets/.
slides: install
	$(PY) -m tools.slides --out build

refresh: install
	OMP_NUM_THREADS=1 $(PY) -m tools.refresh $(if $(FORCE),--force,) $(NOTEBOOKS)
	$(PY) -m tools.student
	$(PY) -m tools.i18n build

# The Chinese edition (tools/i18n.py): the English notebooks' text into the catalogues
# locales/zh_CN/*.po (translations kept, changed ones marked fuzzy), and the Chinese notebooks
# notebooks/zh/, solutions/zh/ built from the English ones and the catalogues.
translations: install
	$(PY) -m tools.i18n update

zh: install
	$(PY) -m tools.i18n build

student: install
	$(PY) -m tools.student

# Instructors: nbgrader on top of the lock (it changes none of its pins); README, "Grading".
instructor: install
	$(PY) -m pip install --quiet -r requirements/instructor.txt

# Maintainers: do the fast tests catch a break? mutmut (requirements/mutation.txt, on top of the
# lock) changes course_utils and tools one small step at a time; the score per module is printed,
# the surviving changes are in build/mutation/survivors.txt (tools/mutation.py, CONTRIBUTING.md).
# Not part of `make test`: about an hour on 2 cores; ONLY=course_utils.params (a module or
# package, repeatable) mutates just that, a few minutes.
# mutmut goes into its own folder, not into $(VENV): a pip install in the course's environment
# while tests or `make determinism` run there can kill their kernels.
MUTMUT_SITE := build/mutation/site

$(MUTMUT_SITE)/.installed: requirements/mutation.txt | install
	rm -rf $(MUTMUT_SITE)
	$(PY) -m pip install --quiet --no-deps --target $(MUTMUT_SITE) -r requirements/mutation.txt
	touch $@

mutation: install $(MUTMUT_SITE)/.installed
	PYTHONPATH="$(CURDIR)/$(MUTMUT_SITE)" $(PY) -m tools.mutation $(foreach m,$(ONLY),--only $(m))

# Figures, not tests: notebook times against a reference, seed sweeps (tools/bench/README.md).
bench: install
	$(PY) -m tools.bench

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
