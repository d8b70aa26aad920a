"""The Chinese edition (notebooks/zh/, solutions/zh/): complete, in step with the English
notebooks and their catalogues, the same code and outputs, and it runs."""

import re

import nbformat
import pytest

from tests.notebook_runner import execute, summary
from tools import i18n, student
from tools.paths import ROOT

SOURCES = i18n.source_notebooks()
BUILT = i18n.built_notebooks()


def english_of(path):
    """The English notebook a Chinese one is stored for (the homework's student version:
    the English student version)."""
    return path.parent.parent / path.name


def test_every_message_is_translated_and_none_is_fuzzy_or_broken():
    problems = [p for notebook in SOURCES for p in i18n.catalogue_problems(notebook)]
    assert problems == [], "\n".join(problems[:20]) + "\n(`python -m tools.i18n check`)"


def test_every_catalogue_belongs_to_a_notebook():
    stems = {p.stem for p in SOURCES}
    assert {p.stem for p in (ROOT / "locales" / i18n.LOCALE).glob("*.po")} == stems


@pytest.mark.parametrize("path", list(BUILT), ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_chinese_notebook_is_what_the_build_makes(path):
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make zh`"
    assert path.read_text(encoding="utf-8") == i18n.as_text(BUILT[path]), (
        f"{path.relative_to(ROOT)} is out of date: run `make zh`")


def without_notes(metadata: dict) -> dict:
    course = {k: v for k, v in metadata.get("course", {}).items() if k != "speaker_notes"}
    return {**metadata, "course": course} if "course" in metadata else dict(metadata)


@pytest.mark.parametrize("path", list(BUILT), ids=lambda p: str(p.relative_to(ROOT)))
def test_same_cells_code_outputs_and_slides_as_the_english(path):
    english = nbformat.read(english_of(path), as_version=4)
    chinese = nbformat.read(path, as_version=4)
    assert len(chinese.cells) == len(english.cells)
    translated = 0
    for en, zh in zip(english.cells, chinese.cells, strict=True):
        assert (zh.cell_type, zh.get("id")) == (en.cell_type, en.get("id"))
        # Slide types, tags, the homework's task numbers; speaker notes are translated.
        en_notes, zh_notes = (c.metadata.get("course", {}).get("speaker_notes") for c in (en, zh))
        assert without_notes(zh.metadata) == without_notes(en.metadata)
        assert (zh_notes is None) == (en_notes is None)
        if en_notes:
            assert zh_notes != en_notes and re.search(r"[\u4e00-\u9fff]", zh_notes), zh_notes
        if en.cell_type == "code":
            # Token for token the same code: only comments differ.
            assert i18n.code_tokens(zh.source) == i18n.code_tokens(en.source), zh.source[:80]
            assert zh.outputs == en.outputs and zh.execution_count == en.execution_count
        translated += zh.source != en.source
    assert translated >= len(english.cells) // 2, "most cells should read in Chinese"
    assert chinese.metadata["course"]["language"] == "zh_CN"


def test_chinese_student_version_comes_from_the_chinese_solution_and_keeps_its_checks():
    solution = nbformat.read(ROOT / "solutions/zh/04_homework_lstm_gru.ipynb", as_version=4)
    stored = (ROOT / "notebooks/zh/04_homework_lstm_gru.ipynb").read_text(encoding="utf-8")
    assert stored == i18n.as_text(student.make_student_notebook(solution))
    chinese = nbformat.read(ROOT / "notebooks/zh/04_homework_lstm_gru.ipynb", as_version=4)
    english = nbformat.read(ROOT / "notebooks/04_homework_lstm_gru.ipynb", as_version=4)
    assert chinese.metadata["course"]["student_version"] is True
    checks = [[c.source for c in nb.cells if "check_task" in c.source]
              for nb in (english, chinese)]
    assert checks[0] and [i18n.code_tokens(s) for s in checks[1]] == [
        i18n.code_tokens(s) for s in checks[0]]
    assert not student.has_solutions(chinese)


def test_a_chinese_notebook_runs_with_a_chinese_pair(tmp_path):
    nb = execute("notebooks/zh/01_rnncell_onehot.ipynb", tmp_path, source="我爱北京天安门",
                 target="门安天京北爱我", epochs=30)
    result = summary(nb)
    assert result["target"] == "门安天京北爱我"
    assert result["prediction"] == result["target"], result  # the fixed model learned it
