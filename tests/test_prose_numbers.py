"""Numbers in the lessons' prose that quote the run: each marked number of every stored notebook,
in both editions, equals what that notebook's stored run gives (tools/prose_numbers.py)."""

import copy
import re

import nbformat
import pytest
from babel.messages.catalog import Catalog
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import i18n
from tools.paths import ROOT, course_notebooks, is_student_version
from tools.prose_numbers import (
    ExpressionError,
    Run,
    check_notebook,
    evaluate,
    main,
    marked_numbers,
    problems,
    read_number,
)

ENGLISH = course_notebooks()
EDITIONS = ENGLISH + [i18n.zh_path(p) for p in ENGLISH]


def rel(path) -> str:
    return str(path.relative_to(ROOT))


def read(path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def prose(cell) -> str:
    notes = cell.get("metadata", {}).get("course", {}).get("speaker_notes", "")
    return (cell.source if cell.cell_type == "markdown" else "") + "\n" + notes


# ------------------------------------------------------------------ the stored notebooks ---
@pytest.mark.parametrize("path", EDITIONS, ids=rel)
def test_every_marked_number_is_what_the_stored_run_gives(path):
    wrong = problems(read(path))
    assert not wrong, f"{rel(path)}: numbers in the prose that the run does not give:\n" + \
        "\n".join(wrong)


@pytest.mark.parametrize("path", [p for p in ENGLISH if not is_student_version(p)], ids=rel)
def test_the_chinese_edition_marks_the_same_numbers_cell_by_cell(path):
    english, chinese = read(path), read(i18n.zh_path(path))
    assert len(english.cells) == len(chinese.cells)
    for number, (a, b) in enumerate(zip(english.cells, chinese.cells, strict=True), start=1):
        assert sorted(marked_numbers(prose(a))) == sorted(marked_numbers(prose(b))), (
            f"{rel(i18n.zh_path(path))}, cell {number}: not the English cell's marked numbers")


def test_the_lessons_mark_their_results():
    """The lessons that quote their run do mark it (a marker lost in an edit shows here too):
    every English notebook but the student version and lesson 07, whose prose quotes no
    number of its run."""
    unmarked = [rel(p) for p in ENGLISH if not check_notebook(read(p))]
    assert unmarked == ["notebooks/04_homework_lstm_gru.ipynb",
                        "notebooks/07_variable_length.ipynb"]


LESSON02 = ROOT / "notebooks" / "02_nn_rnn_onehot.ipynb"


def recap(nb) -> tuple[int, nbformat.NotebookNode]:
    found = [(i, c) for i, c in enumerate(nb.cells) if c.source.startswith("## Recap")]
    assert len(found) == 1
    return found[0]


def test_a_number_changed_in_the_prose_is_caught_with_its_cell_and_the_run_value():
    nb = copy.deepcopy(read(LESSON02))
    index, cell = recap(nb)
    assert "fail on 41<!--" in cell.source
    cell.source = cell.source.replace("fail on 41<!--", "fail on 40<!--")
    assert problems(nb) == [
        f"cell {index + 1} (id {cell.id}): the prose says 40, the run gives 41 "
        "(sweep.seeds - sweep.lecture_converged)"]


def test_a_result_changed_in_the_run_is_caught():
    """The other side: the run's 59 becomes 58 (as a refresh on a changed lesson might), and
    the recap's 41 no longer holds."""
    nb = copy.deepcopy(read(LESSON02))
    summary = next(c for c in nb.cells if "summary" in c.metadata.get("tags", []))
    shown = summary.outputs[0].data
    assert "'lecture_converged': 59," in shown["text/plain"]
    shown["text/plain"] = shown["text/plain"].replace("'lecture_converged': 59,",
                                                      "'lecture_converged': 58,")
    index, cell = recap(nb)
    assert problems(nb) == [
        f"cell {index + 1} (id {cell.id}): the prose says 41, the run gives 42 "
        "(sweep.seeds - sweep.lecture_converged)"]


def test_a_translation_with_another_number_is_caught_in_the_chinese_notebook():
    """A translator writes 40 for 41 and keeps the marker: the Chinese notebook built from
    that catalogue fails (and `python -m tools.i18n check` names the message)."""
    english = read(LESSON02)
    catalog = i18n.read_catalogue(i18n.catalogue_path(LESSON02))
    index, cell = recap(english)
    message = next(m for m in catalog if m.id and "fail on 41<!--" in m.id)
    assert "41<!--" in message.string
    message.string = message.string.replace("41<!--", "40<!--")
    chinese = i18n.translate_notebook(english, catalog)
    assert problems(chinese) == [
        f"cell {index + 1} (id {cell.id}): the prose says 40, the run gives 41 "
        "(sweep.seeds - sweep.lecture_converged)"]
    assert i18n.translation_problems(message.id, message.string) == [
        "numbers marked as results differ (missing: "
        "['41<!-- = sweep.seeds - sweep.lecture_converged -->'])"]


def test_the_command_lists_and_checks(capsys, tmp_path):
    assert main([str(LESSON02), "--list"]) == 0
    out = capsys.readouterr().out
    assert "notebooks/02_nn_rnn_onehot.ipynb: 6 marked numbers, 0 wrong" in out
    assert re.search(r"cell \d+ \(id [\w-]+\): 41 = sweep.seeds - sweep.lecture_converged = 41",
                     out), out
    nb = read(LESSON02)
    recap(nb)[1].source = recap(nb)[1].source.replace("fail on 41<!--", "fail on 40<!--")
    broken = tmp_path / "02.ipynb"
    nbformat.write(nb, broken)
    assert main([str(broken)]) == 1
    out = capsys.readouterr().out
    assert "02.ipynb: 6 marked numbers, 1 wrong" in out
    assert "the prose says 40, the run gives 41" in out and "= 59" not in out


# ------------------------------------------------------------------ the language ----------
def notebook(*markdown: str, summary: dict | None = None,
             printed: str = "") -> nbformat.NotebookNode:
    cells = [new_markdown_cell(text) for text in markdown]
    shown = new_code_cell("print(...)", id="the-table")
    shown.outputs = [new_output("stream", name="stdout", text=printed)]
    cells.append(shown)
    if summary is not None:
        cell = new_code_cell("{...}", metadata={"tags": ["summary"]})
        cell.outputs = [new_output("execute_result", data={"text/plain": repr(summary)},
                                   execution_count=1)]
        cells.append(cell)
    return new_notebook(cells=cells)


SUMMARY = {"sweep": {"seeds": 100, "converged": 59}, "counts": {15: 61, 30: 98},
           "models": {"packed, bidirectional": {"first": [0.9655, 0.9725]}},
           "ratio": 6, "floor": 0.3408, "step": -2.515, "name": "x", "ok": True, "none": None}
TABLE = "    T  dense  cell\n    5    840   112\n   50 80,400   112\n  5,000 5,000 0.02%\n10^6\n"


@pytest.mark.parametrize(("expression", "value"), [
    ("sweep.converged", 59),
    ("sweep.seeds - sweep.converged", 41),
    ("counts[15] + counts[30]", 159),
    ('models["packed, bidirectional"].first[1]', 0.9725),
    ('models["packed, bidirectional"].first[-1] * 100', 97.25),
    ("10 ** ratio", 10 ** 6),
    ("abs(step)", 2.515),
    ("-step / 2", 1.2575),
    ("+floor", 0.3408),
    ("(sweep.seeds - sweep.converged) / sweep.seeds", 0.41),
    ('printed("the-table", r"^ +5 +[\\d,]+ +(\\d+)\\n")', 112),
    ('printed("the-table", r"^ +50 +([\\d,]+) ")', 80400),
    ('100 - printed("the-table", r"([\\d.]+)%")', 99.98),
    ('printed("the-table", r"10\\^\\d+")', 10 ** 6),
    ('printed("the-table", r" (80,400) ")', 80400),
])
def test_what_an_expression_can_say(expression, value):
    assert evaluate(expression, Run(notebook(summary=SUMMARY, printed=TABLE))) == \
        pytest.approx(value)


@pytest.mark.parametrize(("expression", "message"), [
    ("sweep.missing", "sweep has no key 'missing' (its keys: ['seeds', 'converged'])"),
    ("nothing", "the summary has no key 'nothing'"),
    ("counts[45]", "counts has no key 45"),
    ('models["packed, bidirectional"].first[2]', "has 2 items, no item 2"),
    ("ratio.x", "ratio is 6: it has no item 'x'"),
    ("sweep", "gives {'seeds': 100, 'converged': 59}, not a number"),
    ("name", "gives 'x', not a number"),
    ("ok", "gives True, not a number"),
    ("none + 1", "none is None, not a number"),
    ("ok * 2", "ok is True, not a number"),
    ("-name", "name is 'x', not a number"),
    ("abs(name)", "name is 'x', not a number"),
    ("counts[sweep.seeds]", "only a key or an index as written"),
    ("counts[1.5]", "only a key or an index as written"),
    ("counts[True]", "counts has no key True"),
    ("models['packed, bidirectional'].first[True]", "has no item True"),
    ("__import__('os').getcwd()", "is not in the markers' language"),
    ("len(counts)", "'len(counts)' is not in the markers' language"),
    ("abs(1, 2)", "is not in the markers' language"),
    ("abs(x=1)", "is not in the markers' language"),
    ('printed("the-table")', "is not in the markers' language"),
    ('printed("the-table", 5)', "is not in the markers' language"),
    ("sweep.seeds // 3", "is not in the markers' language"),
    ("sweep.seeds % 3", "is not in the markers' language"),
    ("not ok", "is not in the markers' language"),
    ("[1][0]", "is not in the markers' language"),
    ("10 ** 1000", "an exponent beyond 400"),
    ("1 / (sweep.seeds - 100)", "division by zero"),
    ("59 +", "not an expression"),
    ("a--b", "cannot hold '--'"),
    ('printed("x", r"(\\d+)$")', "cannot hold '$'"),
    ('printed("x", r"\\(")', "cannot hold '\\\\('"),
    ('printed("x", r"\\[")', "cannot hold '\\\\['"),
    ('printed("nowhere", r"\\d")', "no code cell has the id 'nowhere'"),
    ('printed("the-table", r"112")', "matches 2 times in what cell the-table printed, not once"),
    ('printed("the-table", r"9999")', "matches 0 times"),
    ('printed("the-table", r"(dense)")', "cell the-table printed 'dense', not a number"),
    ('printed("the-table", r"(0.02%)")', "printed '0.02%', not a number"),
    ('printed("the-table", r"(")', "is not a regular expression"),
])
def test_what_an_expression_cannot_say(expression, message):
    with pytest.raises(ExpressionError) as info:
        evaluate(expression, Run(notebook(summary=SUMMARY, printed=TABLE)))
    assert message in str(info.value)


@pytest.mark.parametrize(("summary_cell", "message"), [
    ("none", "0 cells tagged 'summary', not one"),
    ("no output", "the summary cell has no stored output"),
    ("a list", "the summary is a list, not a dict"),
    ("two", "2 cells tagged 'summary', not one"),
])
def test_a_summary_that_cannot_be_read_is_named(summary_cell, message):
    nb = notebook(summary=None if summary_cell == "none" else {"a": 1})
    if summary_cell == "no output":
        nb.cells[-1].outputs = []
    elif summary_cell == "a list":
        nb.cells[-1].outputs[0].data["text/plain"] = "[1, 2]"
    elif summary_cell == "two":
        nb.cells.append(copy.deepcopy(nb.cells[-1]))
    with pytest.raises(ExpressionError, match=re.escape(message)):
        evaluate("a", Run(nb))


def test_printed_reads_a_cells_streams_and_results_only():
    nb = notebook(printed="first 1\n")
    nb.cells[-1].outputs += [
        new_output("execute_result", data={"text/plain": "second 2"}, execution_count=1),
        new_output("display_data", data={"image/png": "xyz"}),
        new_output("stream", name="stdout", text="third 3\n")]
    nb.cells.insert(0, new_markdown_cell("fourth 4", id="the-prose"))
    run = Run(nb)
    assert run.printed("the-table") == "first 1\nsecond 2third 3\n"
    assert [evaluate(f'printed("the-table", r"{w} (\\d)")', run) for w in
            ("first", "second", "third")] == [1, 2, 3]
    with pytest.raises(ExpressionError, match="no code cell has the id 'the-prose'"):
        run.printed("the-prose")


@pytest.mark.parametrize(("text", "value", "shown"), [
    ("on 59", 59, "59"), ("中59", 59, "59"), ("(0.341", 0.341, "0.341"),
    ("with 5,000", 5000, "5,000"), ("9\u202f999", 9999, "9\u202f999"), ("0-99", 99, "99"),
    ("in 15 100", 100, "100"), ("is -2.5", -2.5, "-2.5"), ("is \u22122.5", -2.5, "\u22122.5"),
    ("+6.1", 6.1, "+6.1"), ("about $10^6$", 6, "$10^6$"), ("$10^{-24}$", -24, "$10^{-24}$"),
    ("$ 10^{ 7 } $", 7, "$ 10^{ 7 } $"), ("$10^{\u22123}$", -3, "$10^{\u22123}$"),
])
def test_the_number_before_a_marker(text, value, shown):
    number = read_number(text)
    assert (number.value, number.text) == (value, shown)


@pytest.mark.parametrize("text", ["v2", "x.5", "a,5", "seeds", "", "1.", "$10^{6}", "10^6$"])
def test_what_is_no_number(text):
    assert read_number(text) is None


@pytest.mark.parametrize(("shown", "holds", "fails"), [
    ("59", [59, 58.5, 59.5, 59.0], [58.49, 59.51, 60]),
    ("0.341", [0.3408, 0.3405, 0.3415], [0.3404, 0.3416, 0.34]),
    ("99.98", [99.98, 99.975], [99.97, 100]),
    ("2.5", [2.515, 2.45, 2.55], [2.56, -2.5]),
    ("-2.5", [-2.515], [2.5]),
    ("5,000", [5000, 5000.4], [5001]),
    ("$10^6$", [1e6, 10 ** 5.6, 10 ** 6.4], [10 ** 5.4, 10 ** 6.6, 0, -1e6]),
    ("$10^{-2}$", [0.01, 0.02], [0.1, 0.001]),
])
def test_a_number_holds_at_the_precision_the_prose_shows(shown, holds, fails):
    number = read_number(shown)
    assert [number.matches(v) for v in holds] == [True] * len(holds)
    assert [number.matches(v) for v in fails] == [False] * len(fails)


def test_markers_are_found_in_markdown_and_speaker_notes_and_checked_in_order():
    nb = notebook("Fail on 41<!-- = sweep.seeds - sweep.converged --> of 100; "
                  "59<!--=sweep.converged-->.",
                  "# Title\n\n**99.98<!-- = 100 - printed(\"the-table\", r\"([\\d.]+)%\") --> %**",
                  summary=SUMMARY, printed=TABLE)
    nb.cells[-1].metadata["course"] = {"speaker_notes": "Say 60<!-- = sweep.converged -->."}
    nb.cells[-2].source = "# 58<!-- = sweep.converged --> in a comment is no prose"
    found = check_notebook(nb)
    assert [(m.cell, m.number, m.value) for m in found] == [
        (1, "41", 41), (1, "59", 59), (2, "99.98", pytest.approx(99.98)), (4, "60", 59)]
    assert [bool(m.problem) for m in found] == [False, False, False, True]
    assert found[3].describe() == (f"cell 4 (id {nb.cells[-1].id}): the prose says 60, the run "
                                   "gives 59 (sweep.converged)")
    assert found[0].describe() == (f"cell 1 (id {nb.cells[0].id}): 41 = sweep.seeds - "
                                   "sweep.converged = 41")


@pytest.mark.parametrize(("markdown", "problem"), [
    ("seeds: <!-- = sweep.converged -->", "no number right before the marker "
     "<!-- = sweep.converged --> (write it right after the number: 59<!-- = key -->): "
     "...'seeds: '"),
    ("59 <!-- = sweep.converged -->", "no number right before the marker"),
    ("10<!-- = sweep.converged -->0 seeds", "10<!-- = sweep.converged -->0 see...: the marker "
     "stands inside a number (after its last digit, please)"),
    ("59<!-- = sweep.nothing -->", "59<!-- = sweep.nothing -->: sweep has no key 'nothing'"),
    ("59<!-- = a--b -->", "cannot hold '--'"),
])
def test_a_marker_that_cannot_be_checked_is_a_problem(markdown, problem):
    [found] = check_notebook(notebook(markdown, summary=SUMMARY))
    assert problem in found.problem and found.value is None
    assert found.describe().endswith(found.problem)


def test_a_student_version_quotes_no_run():
    """A student version is stored without outputs: a number marked in it cannot be checked
    (the homework's model answers live in solution blocks and instructor-only cells, which
    the student version leaves out)."""
    nb = notebook("LSTM 61<!-- = counts[15] -->/100", summary=SUMMARY)
    assert not check_notebook(nb)[0].problem
    nb.metadata["course"] = {"student_version": True}
    assert check_notebook(nb)[0].problem == (
        "61: a student version has no outputs to check a number against (the number belongs "
        "in a solution or an instructor-only cell)")


def test_marked_numbers_are_the_numbers_with_their_markers_as_written():
    text = ("41<!-- = a --> of 100, $10^6$<!--= b-->, <!-- = c --> and a comment <!-- d --> "
            "and 5,000<!-- = e -->")
    assert marked_numbers(text) == ["41<!-- = a -->", "$10^6$<!--= b-->", "<!-- = c -->",
                                    "5,000<!-- = e -->"]


def test_a_chinese_notebook_built_from_a_catalogue_keeps_the_markers():
    english = notebook("It fails on 41<!-- = sweep.seeds - sweep.converged --> seeds.",
                       summary=SUMMARY)
    catalog = Catalog(locale="zh_CN")
    catalog.add(english.cells[0].source,
                "有 41<!-- = sweep.seeds - sweep.converged --> 个种子失败。")
    assert problems(i18n.translate_notebook(english, catalog)) == []
    catalog[english.cells[0].source].string = "有 41 个种子失败。"  # marker dropped
    chinese = i18n.translate_notebook(english, catalog)
    assert check_notebook(chinese) == []  # nothing left to check: the cross-edition test sees it
    assert marked_numbers(chinese.cells[0].source) != marked_numbers(english.cells[0].source)
