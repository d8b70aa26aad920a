"""`make mutation`'s own arithmetic and report (tools/mutation.py), without running mutmut: the
score per module, the targets, the equivalents file and the survivors file."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from tests.conftest import MARKER_OF
from tools import mutation
from tools.paths import ROOT


def test_exit_codes_are_read_as_mutmut_reads_them():
    assert mutation.classify(1) == "killed"  # a test failed
    assert mutation.classify(36) == "killed"  # timed out: the change made the tests hang
    assert mutation.classify(-11) == "killed"  # crashed
    assert mutation.classify(0) == "survived"
    assert mutation.classify(33) == "survived"  # no test covers the function
    assert mutation.classify(5) == "survived"
    assert mutation.classify(34) == "skipped"
    assert mutation.classify(None) == "not_run"


def test_module_names_come_from_the_paths():
    assert mutation.module_name("course_utils/params.py") == "course_utils.params"
    assert mutation.module_name("course_utils/homework04/task3.py") == (
        "course_utils.homework04.task3")
    assert mutation.module_name("course_utils/homework04/__init__.py") == (
        "course_utils.homework04")
    assert mutation.module_name("course_utils\\homework04\\task3.py") == (  # Windows
        "course_utils.homework04.task3")


CODES = {
    "course_utils.params": {"p_1": 1, "p_2": 1, "p_3": 0, "p_4": 36},
    "course_utils.homework04.task3": {"t_1": 1, "t_2": 0, "t_3": 33, "t_4": 34},
}


def test_the_score_is_killed_over_the_mutants_that_can_be_killed():
    results = mutation.tally(CODES, equivalent={"t_2"})
    params = results.counts["course_utils.params"]
    assert (params.killed, params.survived, params.equivalent, params.total) == (3, 1, 0, 4)
    assert params.score == 0.75
    task3 = results.counts["course_utils.homework04.task3"]
    # t_2 is equivalent and t_4 skipped: neither counts; t_3 (no tests) is a survivor.
    assert (task3.killed, task3.survived, task3.equivalent, task3.skipped) == (1, 1, 1, 1)
    assert task3.score == 0.5
    assert results.survivors == {"course_utils.params": ["p_3"],
                                 "course_utils.homework04.task3": ["t_3"]}
    assert results.equivalent == {"course_utils.homework04.task3": ["t_2"]}
    total = results.total()
    assert (total.killed, total.survived, total.total) == (4, 2, 8) and total.score == 4 / 6
    assert mutation.Counts().score is None  # no mutants: no score (not 0, not 100%)


def test_an_equivalent_name_that_did_not_survive_is_not_counted_as_equivalent():
    results = mutation.tally(CODES, equivalent={"p_1"})  # p_1 was killed
    assert results.counts["course_utils.params"].equivalent == 0
    assert results.counts["course_utils.params"].killed == 3


def test_targets_are_checked_per_group_and_over_the_whole_scope(monkeypatch):
    monkeypatch.setattr(mutation, "TARGETS", {"course_utils.homework04": 0.9, "*": 0.8})
    assert mutation.target_of("course_utils.homework04.task3") == 0.9
    assert mutation.target_of("course_utils.homework04") == 0.9
    assert mutation.target_of("course_utils.homework04x") is None
    assert mutation.target_of("course_utils.params") is None
    lines, missed = mutation.report(mutation.tally(CODES))
    assert missed == ["course_utils.homework04: 33.3% < 90%", "whole scope: 57.1% < 80%"]
    assert lines[0].split() == ["module", "mutants", "killed", "survived", "equivalent",
                                "score", "target"]
    # Modules in alphabetical order, each with its target, if it has one.
    assert lines[1].split() == ["course_utils.homework04.task3", "4", "1", "2", "0", "33%",
                                "90%"]
    assert lines[2].split() == ["course_utils.params", "4", "3", "1", "0", "75%"]
    assert lines[-1].split() == ["whole", "scope", "8", "4", "3", "0", "57%", "80%"]
    all_killed = {m: {k: 1 for k in names} for m, names in CODES.items()}
    assert mutation.report(mutation.tally(all_killed))[1] == []


def test_a_target_without_mutants_or_with_mutants_not_run_is_missed(monkeypatch):
    monkeypatch.setattr(mutation, "TARGETS", {"tools.student": 0.9, "*": 0.8})
    _, missed = mutation.report(mutation.tally({"tools.paths": {"a": 1, "b": None}}))
    assert missed == ["tools.student: no mutants found (is it still in the scope?)",
                      "whole scope: 1 mutant(s) not run"]


def test_the_equivalents_file_needs_a_reason_per_name(tmp_path):
    path = tmp_path / "equivalent.txt"
    path.write_text("# comment\n\ncourse_utils.x.x_f__mutmut_1: same value either way\n")
    assert mutation.read_equivalent(path) == {
        "course_utils.x.x_f__mutmut_1": "same value either way"}
    path.write_text("course_utils.x.x_f__mutmut_2:   \n")
    with pytest.raises(ValueError, match=r"equivalent.txt:1: no reason given for "
                                         r"'course_utils.x.x_f__mutmut_2'"):
        mutation.read_equivalent(path)
    assert mutation.read_equivalent(tmp_path / "missing.txt") == {}


def test_the_stored_equivalents_all_have_reasons():
    reasons = mutation.read_equivalent()
    assert all(len(reason) > 10 for reason in reasons.values()), reasons


def test_the_survivors_file_shows_each_diff_then_the_equivalents():
    results = mutation.tally(CODES, equivalent={"t_2"})
    text = mutation.survivors_text(results, {"p_3": "-    a < b\n+    a <= b"},
                                   {"t_2": "no observable difference"}, stale=["old_1"])
    assert "== course_utils.params: 1 surviving\n-- p_3\n-    a < b\n+    a <= b\n" in text
    assert "-- t_3\n(no diff)\n" in text
    assert text.index("== Equivalent mutants") > text.index("-- t_3")
    assert "t_2: no observable difference" in text
    assert text.rstrip().endswith("code moved):\nold_1")
    clean = mutation.survivors_text(mutation.tally({"m": {"a": 1}}), {}, {})
    assert "(none)" in clean and "code moved" not in clean


def test_exit_codes_are_read_from_mutmuts_meta_files(tmp_path):
    meta = tmp_path / "mutants" / "course_utils" / "params.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": {"course_utils.params.x_f__mutmut_1": 1}}))
    empty = tmp_path / "mutants" / "tools" / "paths.py.meta"
    empty.parent.mkdir(parents=True)
    empty.write_text(json.dumps({"exit_code_by_key": {}}))
    assert mutation.read_exit_codes(tmp_path) == {
        "course_utils.params": {"course_utils.params.x_f__mutmut_1": 1}}


def test_the_copy_leaves_out_environments_and_outputs(tmp_path):
    root = tmp_path / "course"
    for name in ("course_utils/a.py", ".venv/bin/python", "build/x", "tools/__pycache__/a.pyc",
                 "slides/node_modules/reveal.js", "x.egg-info/PKG-INFO", "README.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    dest = tmp_path / "work"
    (dest / "old").mkdir(parents=True)  # a previous run: replaced
    mutation.copy_course(dest, root)
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == [
        "README.md", "course_utils/a.py"]


def test_the_configuration_runs_fast_tests_that_exist():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    tests = config["pytest_add_cli_args_test_selection"]
    for test in tests:
        assert (ROOT / test).is_file(), test
        assert MARKER_OF[Path(test).name] in ("unit", "tool"), test
    for test in ("tests/test_params.py", "tests/test_text.py", "tests/test_checks.py",
                 "tests/test_student_version.py", "tests/test_slides_assets.py"):
        assert test in tests
    for copied in config["also_copy"]:
        assert (ROOT / copied).exists(), copied
    assert config["source_paths"] == ["course_utils", "tools"]


def fresh_folder(dest: Path) -> None:  # what copy_course leaves: a new work folder
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)


@pytest.fixture
def last_run(tmp_path, monkeypatch):
    """build/mutation/ of a finished run (in tmp_path): one module, one survivor, one
    equivalent mutant listed, one listed name that no longer survives."""
    out = tmp_path / "build" / "mutation"
    meta = out / "work" / "mutants" / "course_utils" / "params.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": {"m_1": 1, "m_2": 0, "m_3": 0, "m_4": 1}}))
    equivalent = tmp_path / "equivalent.txt"
    equivalent.write_text("m_3: same either way\nm_9: gone\n")
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    monkeypatch.setattr(mutation, "OUT", out)
    monkeypatch.setattr(mutation, "EQUIVALENT_FILE", equivalent)
    monkeypatch.setattr(mutation, "TARGETS", {"course_utils.params": 0.9, "*": 0.5})
    monkeypatch.setattr(mutation, "read_diffs", lambda work, names: {
        n: f"diff of {n}" for n in names} if work == out / "work" else {})
    return out


def test_the_report_of_the_last_run(last_run, capsys):
    assert mutation.main(["--report-only"]) == 1  # 2 of 3 killed: below the 90% target
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("course_utils.params"))
    assert row.split() == ["course_utils.params", "4", "2", "1", "1", "67%", "90%"]
    assert ("1 surviving mutant(s) with their diffs: build/mutation/survivors.txt" in out)
    assert ("1 name(s) in equivalent.txt no longer survive: see the end of survivors.txt"
            in out)
    assert out.rstrip().endswith("TARGET MISSED: course_utils.params: 66.7% < 90%")
    text = (last_run / "survivors.txt").read_text()
    assert "-- m_2\ndiff of m_2\n" in text and "m_3: same either way" in text
    assert text.rstrip().endswith("code moved):\nm_9")


def test_the_report_without_a_run_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(mutation, "OUT", tmp_path / "nothing")
    assert mutation.main(["--report-only"]) == 2
    assert capsys.readouterr().out == (
        "No mutmut results in build/mutation/work/: run `make mutation` first.\n")


def test_a_run_copies_the_course_runs_mutmut_there_and_reports(last_run, monkeypatch, capsys):
    calls = []

    def fake_run(command, cwd, stdout, stderr):
        calls.append((command, cwd))
        assert stderr is mutation.subprocess.STDOUT  # mutmut's errors go to the log too
        stdout.write("mutmut output\n")
        meta = cwd / "mutants" / "tools" / "student.py.meta"
        meta.parent.mkdir(parents=True)
        meta.write_text(json.dumps({"exit_code_by_key": {"s_1": 1}}))
        return mutation.subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(mutation, "copy_course", fresh_folder)
    monkeypatch.setattr(mutation.subprocess, "run", fake_run)
    monkeypatch.setattr(mutation, "TARGETS", {"*": 0.5})
    assert mutation.main(["--jobs", "3"]) == 0
    ((command, cwd),) = calls
    assert command[1:] == ["-m", "mutmut", "run", "--max-children", "3"]
    assert cwd == last_run / "work"
    assert (last_run / "mutmut.log").read_text() == "mutmut output\n"
    out = capsys.readouterr().out
    assert "tools.student" in out and "TARGET MISSED" not in out
    lines = out.splitlines()
    assert lines[:2] == ["Copying the course into build/mutation/work ...",
                         "mutmut run, 3 at a time (progress: build/mutation/mutmut.log) ..."]
    assert re.fullmatch(r"\d s", lines[-1]), lines[-1]  # how long it took: seconds here
    for cpus, jobs in ((4, "4"), (None, "1")):  # default: one mutant per CPU
        monkeypatch.setattr(mutation.os, "cpu_count", lambda cpus=cpus: cpus)
        calls.clear()
        mutation.main([])
        assert calls[0][0][-2:] == ["--max-children", jobs]


def test_a_failing_mutmut_run_shows_its_output(last_run, monkeypatch, capsys):
    def fake_run(command, cwd, stdout, stderr):
        stdout.write("failed to collect stats\n")
        return mutation.subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr(mutation, "copy_course", fresh_folder)
    monkeypatch.setattr(mutation.subprocess, "run", fake_run)
    assert mutation.main([]) == 2
    out = capsys.readouterr().out
    assert "failed to collect stats" in out
    assert "mutmut failed (exit 1); its output: build/mutation/mutmut.log" in out

    def long_run(command, cwd, stdout, stderr):  # only the end of a long log is shown
        stdout.write("x" * 5000 + "the end of the log" + "y" * 2982)
        return mutation.subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr(mutation.subprocess, "run", long_run)
    assert mutation.main([]) == 2
    assert capsys.readouterr().out.splitlines()[2] == "the end of the log" + "y" * 2982


def test_only_some_modules_are_run_and_reported(last_run, monkeypatch, capsys):
    calls = []

    def fake_run(command, cwd, stdout, stderr):
        calls.append(command)
        meta = cwd / "mutants" / "tools" / "student.py.meta"
        meta.parent.mkdir(parents=True)
        meta.write_text(json.dumps({"exit_code_by_key": {"s_1": 1, "s_2": 0}}))
        other = cwd / "mutants" / "tools" / "paths.py.meta"
        other.write_text(json.dumps({"exit_code_by_key": {"p_1": None}}))  # not run
        return mutation.subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(mutation, "copy_course", fresh_folder)
    monkeypatch.setattr(mutation.subprocess, "run", fake_run)
    monkeypatch.setattr(mutation, "TARGETS", {"tools.student": 0.4, "*": 0.9})
    assert mutation.main(["--only", "tools.student"]) == 0  # 50% >= 40%; the 90% is the whole's
    assert calls[0][-1] == "tools.student.*"
    out = capsys.readouterr().out
    assert "tools.student" in out and "tools.paths" not in out
    # The equivalents of the modules not run are not called stale (they did not run at all).
    assert "no longer survive" not in out
    assert mutation.main(["--only", "course_utils.params"]) == 2
    assert "No mutants in ['course_utils.params']" in capsys.readouterr().out


def test_only_takes_a_package_and_reports_its_targets_and_stale_names(last_run, monkeypatch,
                                                                      capsys):
    def fake_run(command, cwd, stdout, stderr):
        meta = cwd / "mutants" / "tools" / "student.py.meta"
        meta.parent.mkdir(parents=True)
        meta.write_text(json.dumps({"exit_code_by_key": {"tools.student.s_1": 1,
                                                         "tools.student.s_2": 0}}))
        (cwd / "mutants" / "course_utils").mkdir()
        (cwd / "mutants" / "course_utils" / "params.py.meta").write_text(json.dumps(
            {"exit_code_by_key": {"course_utils.params.p_1": 0}}))
        return mutation.subprocess.CompletedProcess(command, 0)

    (last_run.parent.parent / "equivalent.txt").write_text(
        "tools.student.gone_1: moved\ncourse_utils.params.gone_2: moved\n")
    monkeypatch.setattr(mutation, "copy_course", fresh_folder)
    monkeypatch.setattr(mutation.subprocess, "run", fake_run)
    monkeypatch.setattr(mutation, "TARGETS", {"tools": 0.9, "*": 0.1})
    assert mutation.main(["--only", "tools"]) == 1  # a package: its modules, its target
    out = capsys.readouterr().out
    assert "tools.student" in out and "course_utils.params" not in out
    assert "1 name(s) in equivalent.txt no longer survive" in out  # tools.student.gone_1 only
    assert out.rstrip().endswith("TARGET MISSED: tools: 50.0% < 90%")
    assert "whole scope:" not in out.split("TARGET MISSED")[-1]  # not the whole's target


def test_the_survivors_file_in_full():
    results = mutation.tally({"a.b": {"a_1": 0, "a_2": 0}}, equivalent={"a_2"})
    assert mutation.survivors_text(results, {"a_1": "-x\n+y"}, {"a_2": "same"}, ["z_9"]) == (
        "Surviving mutants: the tests pass with each of these changes. Kill one with a test\n"
        "of the behaviour it breaks, or, if no test can tell it from the code (equivalent),\n"
        "add 'name: reason' to tools/mutation_equivalent.txt.\n"
        "\n"
        "== a.b: 1 surviving\n"
        "-- a_1\n"
        "-x\n+y\n"
        "\n"
        "== Equivalent mutants (tools/mutation_equivalent.txt)\n"
        "a_2: same\n"
        "\n"
        "== Listed as equivalent but not surviving (killed, or the code moved):\n"
        "z_9\n")
    assert mutation.survivors_text(mutation.tally({}), {}, {}) == (
        "Surviving mutants: the tests pass with each of these changes. Kill one with a test\n"
        "of the behaviour it breaks, or, if no test can tell it from the code (equivalent),\n"
        "add 'name: reason' to tools/mutation_equivalent.txt.\n"
        "\n(none)\n\n"
        "== Equivalent mutants (tools/mutation_equivalent.txt)\n")


def test_a_module_without_mutants_to_kill_has_no_score(monkeypatch):
    monkeypatch.setattr(mutation, "TARGETS", {"*": 0.8})
    lines, missed = mutation.report(mutation.tally({"a.b": {"a_1": 34}, "c.d": {"c_1": 1}}))
    assert lines[1].split() == ["a.b", "1", "0", "0", "0", "-"]
    assert lines[-1].split()[-2:] == ["100%", "80%"] and missed == []
    # Exactly at the target: met.
    lines, missed = mutation.report(mutation.tally({"c.d": {f"c_{i}": 1 if i < 8 else 0
                                                           for i in range(10)}}))
    assert missed == []


def test_the_help_says_what_each_option_does(capsys):
    with pytest.raises(SystemExit):
        mutation.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert ("Mutation testing of course_utils and the tools (`make mutation`): do the tests "
            "catch a break?") in text
    assert "score = killed" not in text  # the first paragraph of the docstring only
    assert "mutants tested at once (default: the number of CPUs)" in text
    assert "no new run: the report of the last run in build/mutation/work/" in text
    assert ("--only MODULE only the mutants of this module or package, e.g. course_utils.params "
            "(repeatable; `make mutation ONLY=course_utils.params`): a quick loop while you add "
            "tests") in text


def test_mutmut_is_installed_beside_the_course_environment_not_into_it():
    # A pip install into .venv while tests or `make determinism` run there kills their kernels.
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile[makefile.index("MUTMUT_SITE :="):makefile.index("\nbench:")]
    installs = [line for line in recipe.splitlines() if "pip install" in line]
    assert installs and all("--target $(MUTMUT_SITE)" in line and "--no-deps" in line
                            for line in installs), installs
    assert 'PYTHONPATH="$(CURDIR)/$(MUTMUT_SITE)"' in recipe


def test_equivalents_are_counted_and_a_reason_may_hold_a_colon(tmp_path):
    results = mutation.tally({"a.b": {"a_1": 0, "a_2": 0, "a_3": 1}}, equivalent={"a_1", "a_2"})
    assert results.counts["a.b"].equivalent == 2
    path = tmp_path / "equivalent.txt"
    path.write_text("a.b.x_f__mutmut_1: the same: either way\n", encoding="utf-8")
    assert mutation.read_equivalent(path) == {"a.b.x_f__mutmut_1": "the same: either way"}


def test_the_diffs_are_read_in_the_work_folder_and_a_failure_is_shown(tmp_path, monkeypatch):
    import sys
    import types

    seen = []

    def get_diff_for_mutant(name):
        seen.append((name, Path.cwd()))
        if name == "bad":
            raise RuntimeError("no such mutant")
        return f"diff of {name}"

    module = types.ModuleType("mutmut.mutation.diff_apply")
    module.get_diff_for_mutant = get_diff_for_mutant
    monkeypatch.setitem(sys.modules, "mutmut.mutation.diff_apply", module)
    here = Path.cwd()
    assert mutation.read_diffs(tmp_path, ["a_1", "bad"]) == {
        "a_1": "diff of a_1", "bad": "(no diff: no such mutant)"}
    assert seen == [("a_1", tmp_path), ("bad", tmp_path)]
    assert Path.cwd() == here  # back where it was
