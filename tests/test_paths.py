"""tools/paths.py: where the course lives, which notebooks a command takes, and which notebook
is a student version (in-process: tests/test_scripts.py runs the tools that use them)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tools import paths


def course(root: Path) -> Path:
    for name in ("notebooks/02_b.ipynb", "notebooks/01_a.ipynb", "notebooks/04_hw.ipynb",
                 "solutions/04_hw.ipynb", "notebooks/notes.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}")
    return root


def names(notebooks: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in notebooks]


def test_the_course_is_the_lessons_then_the_solutions_in_order(tmp_path):
    root = course(tmp_path)
    assert names(paths.course_notebooks(root), root) == [
        "notebooks/01_a.ipynb", "notebooks/02_b.ipynb", "notebooks/04_hw.ipynb",
        "solutions/04_hw.ipynb"]
    assert paths.ROOT == Path(paths.__file__).resolve().parent.parent
    assert (paths.NOTEBOOKS_DIR.name, paths.SOLUTIONS_DIR.name) == paths.NOTEBOOK_DIRS == (
        "notebooks", "solutions")


def test_notebooks_are_chosen_by_name_or_path_in_course_order(tmp_path):
    root = course(tmp_path)
    assert paths.select_notebooks([], root) == paths.course_notebooks(root)
    assert names(paths.select_notebooks(["02_b.ipynb", "./notebooks/01_a.ipynb"], root),
                 root) == ["notebooks/01_a.ipynb", "notebooks/02_b.ipynb"]
    # The homework's file name takes its student version and its solution; a path takes one.
    assert names(paths.select_notebooks(["04_hw.ipynb"], root), root) == [
        "notebooks/04_hw.ipynb", "solutions/04_hw.ipynb"]
    assert names(paths.select_notebooks(["solutions/04_hw.ipynb", "04_hw.ipynb"], root),
                 root) == ["notebooks/04_hw.ipynb", "solutions/04_hw.ipynb"]


def test_an_unknown_name_stops_with_the_names_there_are(tmp_path):
    root = course(tmp_path)
    with pytest.raises(SystemExit) as info:
        paths.select_notebooks(["01_a.ipynb", "typo.ipynb", "03"], root)
    assert str(info.value) == (
        'no course notebook is called typo.ipynb, 03. Give file names or paths from the '
        'repository root, e.g. NOTEBOOKS="01_rnncell_onehot.ipynb". The notebooks:\n'
        "  notebooks/01_a.ipynb\n  notebooks/02_b.ipynb\n  notebooks/04_hw.ipynb\n"
        "  solutions/04_hw.ipynb")


def test_the_command_line_of_run_and_refresh(tmp_path, monkeypatch):
    root = course(tmp_path)
    parser = argparse.ArgumentParser()
    parser.add_argument("--force", action="store_true")
    monkeypatch.setattr("sys.argv", ["run", "--force", "--root", str(root), "02_b.ipynb"])
    args, found_root, notebooks = paths.parse_notebook_arguments(parser)
    assert args.force and found_root == root.resolve()
    assert names(notebooks, root) == ["notebooks/02_b.ipynb"]
    monkeypatch.setattr("sys.argv", ["run"])
    args, found_root, notebooks = paths.parse_notebook_arguments(argparse.ArgumentParser())
    assert found_root == paths.ROOT and notebooks == paths.course_notebooks()


@pytest.mark.parametrize(("text", "student"), [
    (json.dumps({"metadata": {"course": {"student_version": True}}}), True),
    (json.dumps({"metadata": {"course": {"student_version": False}}}), False),
    (json.dumps({"metadata": {"course": {}}}), False),
    (json.dumps({"cells": []}), False),
    ("not json", False),
])
def test_a_student_version_is_marked_in_its_metadata(tmp_path, text, student):
    path = tmp_path / "nb.ipynb"
    path.write_text(text)
    assert paths.is_student_version(path) is student
    assert paths.is_student_version(str(path)) is student
    assert paths.is_student_version(tmp_path / "missing.ipynb") is False


def test_a_notebook_is_read_as_utf8_whatever_the_machines_locale(tmp_path, utf8_only):
    # A Chinese Windows reads files as GBK unless told otherwise, and the Chinese edition's
    # notebooks (any notebook, with "·" or "→") are UTF-8: the encoding must be given.
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"metadata": {"course": {"student_version": True}},
                                "cells": ["第 04 课"]}, ensure_ascii=False), encoding="utf-8")
    assert paths.is_student_version(path) is True


def test_the_help_of_run_and_refresh_names_the_notebooks_and_hides_root(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["run", "--help"])
    with pytest.raises(SystemExit):
        paths.parse_notebook_arguments(argparse.ArgumentParser(prog="run"))
    text = " ".join(capsys.readouterr().out.split())
    assert "names only these notebooks (file names or paths)" in text
    assert "--root" not in text  # for the tests only
