"""A student's work stays theirs: `make lab` / `python -m tools.lab` keep a personal copy of the
course in my-notebooks/ (git-ignored); a course update (git pull) never conflicts with it or
overwrites it, new lessons appear, changed ones are named, and `make reset` keeps a backup."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import lab as lab_module
from tools import notebooks
from tools.paths import ROOT

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def write_lesson(path: Path, text: str, output: str | None = None) -> None:
    cell = new_code_cell(f"print({text!r})")
    if output is not None:
        cell.outputs = [new_output("stream", name="stdout", text=output)]
    nbformat.write(new_notebook(cells=[new_markdown_cell(f"# {text}"), cell]), path)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course repository with two lessons, a solution, the tools and the .gitignore."""
    upstream = tmp_path / "upstream"
    (upstream / "notebooks").mkdir(parents=True)
    (upstream / "solutions").mkdir()
    (upstream / "tools").mkdir()
    for name in ("__init__.py", "paths.py", "notebooks.py", "lab.py"):  # what tools.lab imports
        shutil.copy2(ROOT / "tools" / name, upstream / "tools" / name)
    shutil.copy2(ROOT / ".gitignore", upstream / ".gitignore")
    write_lesson(upstream / "notebooks" / "01_first.ipynb", "lesson one")
    write_lesson(upstream / "notebooks" / "02_second.ipynb", "lesson two")
    write_lesson(upstream / "solutions" / "02_second.ipynb", "the solution")
    git(upstream, "init", "-q")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "course")
    return upstream


def student_clone(course: Path) -> Path:
    clone = course.parent / "student"
    subprocess.run([*GIT, "clone", "-q", str(course), str(clone)], check=True)
    return clone


def lab(root: Path, *args: str) -> str:
    """The route without make: python -m tools.lab ... in the student's clone."""
    result = subprocess.run([sys.executable, "-m", "tools.lab", *args],
                            cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def student_edit(path: Path, text: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(text))
    nbformat.write(nb, path)


def cells_text(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)


def test_first_run_copies_the_lessons_and_never_the_solutions(course):
    clone = student_clone(course)
    out = lab(clone, "--sync-only")
    assert "Your copy of the course: my-notebooks/ (2 lessons)" in out
    mine = clone / "my-notebooks"
    assert sorted(p.name for p in mine.glob("*.ipynb")) == ["01_first.ipynb", "02_second.ipynb"]
    assert "the solution" not in cells_text(mine / "02_second.ipynb")
    assert git(clone, "status", "--porcelain") == ""  # git ignores the student's copy
    assert lab(clone, "--sync-only") == ""  # nothing new, nothing changed: nothing to say


def test_a_course_update_keeps_the_students_work_and_says_what_changed(course):
    clone = student_clone(course)
    lab(clone, "--sync-only")
    mine = clone / "my-notebooks"
    student_edit(mine / "01_first.ipynb", "my_answer = 42")

    # The course changes lesson 01 and adds lesson 03; the student pulls.
    write_lesson(course / "notebooks" / "01_first.ipynb", "lesson one, improved")
    write_lesson(course / "notebooks" / "03_third.ipynb", "lesson three")
    git(course, "add", "-A")
    git(course, "commit", "-qm", "update")
    git(clone, "pull", "-q")  # no conflict: nothing of the student's is tracked
    assert git(clone, "status", "--porcelain") == ""

    out = lab(clone, "--sync-only").splitlines()
    assert out == [
        "new lesson copied: my-notebooks/03_third.ipynb",
        "01_first.ipynb: the course has a newer version; yours is kept. To take the new one: "
        "python -m tools.lab --reset 01 (yours is saved in my-notebooks/backups/)",
    ]
    assert "my_answer = 42" in cells_text(mine / "01_first.ipynb")
    assert "lesson three" in cells_text(mine / "03_third.ipynb")

    # Taking the new version keeps the student's as a dated backup.
    out = lab(clone, "--reset", "01")
    assert "my-notebooks/01_first.ipynb: the course's current version." in out
    backups = list((mine / "backups").glob("01_first.*.ipynb"))
    assert len(backups) == 1 and f"saved as {backups[0].relative_to(clone)}" in out
    assert "my_answer = 42" in cells_text(backups[0])
    assert "lesson one, improved" in cells_text(mine / "01_first.ipynb")
    assert lab(clone, "--sync-only") == ""  # up to date again


def test_new_outputs_alone_are_not_a_new_version(course):
    clone = student_clone(course)
    lab(clone, "--sync-only")
    write_lesson(clone / "notebooks" / "02_second.ipynb", "lesson two", output="lesson two\n")
    assert lab(clone, "--sync-only") == ""


def test_a_deleted_lesson_comes_back_fresh(course):
    clone = student_clone(course)
    lab(clone, "--sync-only")
    (clone / "my-notebooks" / "02_second.ipynb").unlink()
    assert lab(clone, "--sync-only").strip() == (
        "copied again, as the course has it now (yours had been deleted): "
        "my-notebooks/02_second.ipynb")


def test_reset_names_the_lessons_when_it_cannot_find_one(course):
    clone = student_clone(course)
    result = subprocess.run([sys.executable, "-m", "tools.lab", "--reset", "9"],
                            cwd=clone, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "no single lesson is called '9'" in result.stderr
    assert "01_first.ipynb, 02_second.ipynb" in result.stderr


def test_reset_accepts_a_number_or_a_file_name(course):
    workspace = lab_module.Workspace(student_clone(course))
    assert workspace.find("1").name == "01_first.ipynb"
    assert workspace.find("02_second.ipynb").name == "02_second.ipynb"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_reset_and_make_lab_use_the_same_script(course):
    clone = student_clone(course)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, clone / name)
    (clone / "requirements").mkdir()
    shutil.copy2(ROOT / "requirements" / "lock.txt", clone / "requirements" / "lock.txt")
    # A stand-in for the installed environment: make sees .venv as up to date.
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "python").symlink_to(sys.executable)
    (clone / ".venv" / ".installed").touch()
    lab(clone, "--sync-only")
    student_edit(clone / "my-notebooks" / "01_first.ipynb", "my_answer = 42")
    make = ["make", "--no-print-directory", "-C", str(clone)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    result = subprocess.run([*make, "reset"], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "make reset LESSON=01" in result.stdout
    result = subprocess.run([*make, "reset", "LESSON=01"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    backups = list((clone / "my-notebooks" / "backups").glob("01_first.*.ipynb"))
    assert len(backups) == 1 and "my_answer = 42" in cells_text(backups[0])
    dry = subprocess.run([*make, "-n", "lab"], capture_output=True, text=True, env=env).stdout
    assert "-m tools.lab --make" in dry and "--edition" not in dry
    # The README's `make lab EDITION=zh` and `make reset LESSON=01 EDITION=zh`.
    for target, wanted in (("lab", "-m tools.lab --make --port=8888 --edition=zh"),
                           ("reset", "-m tools.lab --make --reset 01 --edition=zh")):
        dry = subprocess.run([*make, "-n", target, "LESSON=01", "EDITION=zh"],
                             capture_output=True, text=True, env=env).stdout
        assert wanted in dry, (target, dry)


def test_stored_notebooks_name_the_kernel_the_course_installs(tmp_path):
    notebooks.install_kernel(prefix=str(tmp_path))
    spec = json.loads((tmp_path / "share/jupyter/kernels/python3/kernel.json").read_text())
    assert spec["display_name"] == notebooks.KERNELSPEC["display_name"]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
            (ROOT / "solutions").glob("*.ipynb")):
        stored = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert stored == notebooks.KERNELSPEC, f"{path.name}: kernelspec {stored}"


def test_lab_opens_lesson_01_of_the_copy_by_its_full_path(course, monkeypatch):
    # JupyterLab resolves the file to open from its own working folder, not --notebook-dir:
    # a bare file name made `make lab` stop with "No such file or directory".
    module = lab_module
    calls = []
    monkeypatch.setattr(module, "install_kernel", lambda: None)
    monkeypatch.setenv("TQDM_DISABLE", "1")  # as make exports it
    envs = []

    def fake_call(command, env):
        calls.append(command)
        envs.append(env)
        return 0

    monkeypatch.setattr(module.subprocess, "call", fake_call)
    clone = student_clone(course)
    assert module.main(["--root", str(clone), "--port", "9999"]) == 0
    command = calls[0]
    mine = clone.resolve() / "my-notebooks"
    assert f"--notebook-dir={mine}" in command and "--port=9999" in command
    assert command[-1] == str(mine / "01_first.ipynb")
    assert "TQDM_DISABLE" not in envs[0]  # the student sees lesson 06's progress bar


def test_the_suite_never_checks_the_students_copy():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    assert "my-notebooks" not in config["pytest"]["ini_options"]["testpaths"]
    assert "my-notebooks" in config["ruff"]["extend-exclude"]  # a student's style is theirs
    assert "my-notebooks/" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_chinese_edition_is_a_copy_of_its_own(course):
    (course / "notebooks" / "zh").mkdir()
    write_lesson(course / "notebooks" / "zh" / "01_first.ipynb", "第一课")
    git(course, "add", "-A")
    git(course, "commit", "-qm", "zh")
    clone = student_clone(course)
    out = lab(clone, "--sync-only", "--edition", "zh")
    assert out.startswith("Your copy of the course: my-notebooks/zh/ (1 lessons).")
    assert "第一课" in cells_text(clone / "my-notebooks" / "zh" / "01_first.ipynb")
    assert not (clone / "my-notebooks" / "01_first.ipynb").exists()  # the English one waits
    out = lab(clone, "--reset", "01", "--edition", "zh")
    assert "my-notebooks/zh/01_first.ipynb: the course's current version." in out


# ---------------------------------------------------------------------------------------------
# Both editions side by side, in a course shaped like the real one: notebooks/ with the lessons
# and notebooks/zh/ inside it, solutions/ and solutions/zh/ (the real notebooks, copied).

EDITIONS = {"en": ("my-notebooks", "notebooks"), "zh": ("my-notebooks/zh", "notebooks/zh")}


@pytest.fixture
def real_course(tmp_path: Path) -> Path:
    """A git repository holding this course's notebooks, solutions and both editions."""
    upstream = tmp_path / "upstream"
    for folder in ("notebooks", "solutions"):
        shutil.copytree(ROOT / folder, upstream / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (upstream / "tools").mkdir()
    for name in ("__init__.py", "paths.py", "notebooks.py", "lab.py"):
        shutil.copy2(ROOT / "tools" / name, upstream / "tools" / name)
    shutil.copy2(ROOT / ".gitignore", upstream / ".gitignore")
    git(upstream, "init", "-q")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "course")
    return upstream


def solution_only_lines(root: Path) -> set[str]:
    """The lines inside the solution regions of solutions/ and solutions/zh/ that no notebook
    of notebooks/ or notebooks/zh/ has anywhere: what a student must never get."""
    public = "\n".join(p.read_text(encoding="utf-8")
                       for p in sorted((root / "notebooks").rglob("*.ipynb")))
    found: set[str] = set()
    for edition in ("", "zh"):
        for solution in sorted((root / "solutions" / edition).glob("*.ipynb")):
            inside = False
            for cell in nbformat.read(solution, as_version=4).cells:
                for line in cell.source.split("\n"):
                    if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
                        inside = "BEGIN SOLUTION" in line
                    elif inside and len(line.strip()) > 15 and json.dumps(
                            line.strip())[1:-1] not in public:
                        found.add(line.strip())
    return found


def copied(clone: Path, edition: str) -> dict[str, bytes]:
    mine = clone / EDITIONS[edition][0]
    return {p.name: p.read_bytes() for p in sorted(mine.glob("*.ipynb"))}


def course_lessons(root: Path, edition: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / EDITIONS[edition][1]).glob("*.ipynb"))}


@pytest.mark.parametrize("order", [("en", "zh"), ("zh", "en")])
def test_both_editions_each_get_their_own_lessons_and_never_a_solution(real_course, order):
    assert (real_course / "notebooks" / "zh").is_dir()
    assert (real_course / "solutions" / "zh").is_dir()
    clone = student_clone(real_course)
    for edition in order:
        out = lab(clone, "--sync-only", *(["--edition", "zh"] if edition == "zh" else []))
        lessons = course_lessons(clone, edition)
        # The first run of each edition, whichever came first: one line, the edition's count.
        assert out.splitlines() == [
            f"Your copy of the course: {EDITIONS[edition][0]}/ ({len(lessons)} lessons). "
            "It is yours: course updates never overwrite it."]
    for edition in ("en", "zh"):
        # Each copy is its edition's lessons, byte for byte: not the other edition's, and not
        # the solution (solutions/ has the homework under the same file name).
        assert copied(clone, edition) == course_lessons(clone, edition), edition
    assert copied(clone, "en").keys() == copied(clone, "zh").keys()
    assert copied(clone, "en") != copied(clone, "zh")
    leaked = solution_only_lines(clone)
    assert len(leaked) > 10  # the homework's solutions, in both editions
    everything = "\n".join(p.read_text(encoding="utf-8")
                           for p in sorted((clone / "my-notebooks").rglob("*.ipynb")))
    assert "BEGIN SOLUTION" not in everything
    assert [line for line in sorted(leaked) if json.dumps(line)[1:-1] in everything] == []
    assert not (clone / "my-notebooks" / "zh" / "zh").exists()
    assert lab(clone, "--sync-only") == "" and lab(clone, "--sync-only", "--edition", "zh") == ""
    assert git(clone, "status", "--porcelain") == ""


def test_each_edition_reports_only_its_own_new_changed_and_restored_lessons(real_course):
    clone = student_clone(real_course)
    lab(clone, "--sync-only")
    lab(clone, "--sync-only", "--edition", "zh")
    (clone / "my-notebooks" / "zh" / "01_rnncell_onehot.ipynb").unlink()  # deleted: Chinese only
    # The course changes English lesson 02 and Chinese lesson 03, and adds lesson 08 to both.
    student_edit(real_course / "notebooks" / "02_nn_rnn_onehot.ipynb", "# changed in English")
    student_edit(real_course / "notebooks" / "zh" / "03_embedding_rnn.ipynb", "# 中文版改了")
    write_lesson(real_course / "notebooks" / "08_new.ipynb", "lesson eight")
    write_lesson(real_course / "notebooks" / "zh" / "08_new.ipynb", "第八课")
    git(real_course, "add", "-A")
    git(real_course, "commit", "-qm", "update")
    git(clone, "pull", "-q")

    assert lab(clone, "--sync-only").splitlines() == [
        "new lesson copied: my-notebooks/08_new.ipynb",
        "02_nn_rnn_onehot.ipynb: the course has a newer version; yours is kept. To take the new "
        "one: python -m tools.lab --reset 02 (yours is saved in my-notebooks/backups/)"]
    assert lab(clone, "--sync-only", "--edition", "zh").splitlines() == [
        "new lesson copied: my-notebooks/zh/08_new.ipynb",
        "copied again, as the course has it now (yours had been deleted): "
        "my-notebooks/zh/01_rnncell_onehot.ipynb",
        "03_embedding_rnn.ipynb: the course has a newer version; yours is kept. To take the new "
        "one: python -m tools.lab --reset 03 --edition zh (yours is saved in "
        "my-notebooks/zh/backups/)"]
    assert "第八课" in cells_text(clone / "my-notebooks" / "zh" / "08_new.ipynb")
    assert "lesson eight" in cells_text(clone / "my-notebooks" / "08_new.ipynb")

    # Taking the new Chinese lesson 03 backs up the Chinese copy, beside it; English untouched.
    english = copied(clone, "en")
    out = lab(clone, "--reset", "03", "--edition", "zh")
    assert "my-notebooks/zh/03_embedding_rnn.ipynb: the course's current version." in out
    assert len(list((clone / "my-notebooks" / "zh" / "backups").glob("03_*.ipynb"))) == 1
    assert not (clone / "my-notebooks" / "backups").exists()
    assert "中文版改了" in cells_text(clone / "my-notebooks" / "zh" / "03_embedding_rnn.ipynb")
    assert copied(clone, "en") == english
    assert lab(clone, "--sync-only", "--edition", "zh") == ""
    assert "02_nn_rnn_onehot.ipynb" in lab(clone, "--sync-only")  # still waiting in English
