"""pytest configuration for the whole repository (loaded for tests/, notebooks/ and solutions/).

nbval collects every notebook under notebooks/ and solutions/. A student version of a homework
(``metadata.course.student_version = true``, made by `make student`) is stored unexecuted and
stops at its first task by design, so nbval must not collect it: we skip it here. The solution it
is made from is checked by nbval; tests/test_student_version.py checks that the student version
is exactly what the generator makes, and tests/test_homework04.py runs it with papermill.
"""

from __future__ import annotations

import json
from pathlib import Path


def _is_student_version(path: Path) -> bool:
    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return False
    return bool(metadata.get("course", {}).get("student_version"))


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    if collection_path.suffix == ".ipynb" and _is_student_version(collection_path):
        return True  # a student version: not for nbval (see the module docstring)
    return None  # let pytest and other plugins decide


def pytest_collection_modifyitems(config, items) -> None:
    # A notebook named explicitly on the command line is collected without asking
    # pytest_ignore_collect: deselect a student version's cells here too.
    student = [item for item in items
               if item.path.suffix == ".ipynb" and _is_student_version(item.path)]
    if student:
        config.hook.pytest_deselected(items=student)
        items[:] = [item for item in items if item not in student]
