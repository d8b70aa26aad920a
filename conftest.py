"""pytest configuration for the whole repository (loaded for tests/, notebooks/ and solutions/).

nbval collects every notebook under notebooks/ and solutions/. A student version of a homework
(``metadata.course.student_version = true``, made by `make student`) is stored unexecuted and
stops at its first task by design, so nbval must not collect it: we skip it here. The solution it
is made from is checked by nbval; tests/test_student_version.py checks that the student version
is exactly what the generator makes, and tests/test_homework04.py runs it with papermill.
"""

from __future__ import annotations

import os
from pathlib import Path

from tools.paths import ROOT, is_student_version

# The environment every test run shares with `make run` and `make refresh`, so that plain
# `pytest` (the route without make, e.g. on Windows) checks exactly what `make test` checks.
# Set before any kernel starts; a value already in the environment wins (`make determinism`
# sets its own thread counts).
RUN_ENVIRONMENT = {
    "OMP_NUM_THREADS": "1",  # one torch thread per kernel: no oversubscription, less drift
    "PYTHONHASHSEED": "0",
    "TQDM_DISABLE": "1",  # no progress bars in stored or compared outputs
    "JUPYTER_PREFER_ENV_PATH": "1",  # the kernel of this environment, not a user-level one
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}
for _name, _value in RUN_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"


def pytest_configure(config) -> None:
    # nbval's options live in pyproject.toml (addopts); the sanitize file is set here with an
    # absolute path, so that pytest finds it from any working folder.
    if getattr(config.option, "nbval", False) and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE_FILE)


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    if collection_path.suffix == ".ipynb" and is_student_version(collection_path):
        return True  # a student version: not for nbval (see the module docstring)
    return None  # let pytest and other plugins decide


def pytest_collection_modifyitems(config, items) -> None:
    # A notebook named explicitly on the command line is collected without asking
    # pytest_ignore_collect: deselect a student version's cells here too.
    student = [item for item in items
               if item.path.suffix == ".ipynb" and is_student_version(item.path)]
    if student:
        config.hook.pytest_deselected(items=student)
        items[:] = [item for item in items if item not in student]
