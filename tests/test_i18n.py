"""tools.i18n: messages cut from notebooks, catalogues updated without losing translations, and
notebooks rebuilt with only their text changed."""

import nbformat
import pytest
from babel.messages.catalog import Catalog
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools import i18n

MARKDOWN = """## 2 · A title

First paragraph, `code` and $x_t$.
Second line of it.

$$
h_t = \\tanh(W x_t)
$$

```python
print("not a message")
```

- item one
- item two"""


def test_markdown_blocks_give_back_the_source_and_skip_code_and_math():
    blocks = i18n.split_markdown(MARKDOWN)
    assert i18n.join_markdown([text for text, _ in blocks]) == MARKDOWN
    messages = [text for text, is_message in blocks if is_message]
    assert messages == ["## 2 · A title", "First paragraph, `code` and $x_t$.\nSecond line of it.",
                        "- item one\n- item two"]


def test_solution_markers_are_never_messages():
    source = "Answer:\n### BEGIN SOLUTION\nThe cell state.\n### END SOLUTION"
    blocks = i18n.split_markdown(source)
    assert ("### BEGIN SOLUTION", False) in blocks and ("### END SOLUTION", False) in blocks
    assert [t for t, m in blocks if m] == ["Answer:", "The cell state."]


def test_comments_are_messages_but_directives_and_markers_are_not():
    source = ('import torch  # noqa: F401\nx = 1  # the input\n# ### BEGIN SOLUTION\n'
              's = "# not a comment"\n# 42\n')
    assert [i18n.comment_text(t.string) for t in i18n.comment_tokens(source)] == ["the input"]
    translated = i18n.replace_comments(source, lambda text: "输入")
    assert 'x = 1  # 输入' in translated and '"# not a comment"' in translated
    assert i18n.code_tokens(translated) == i18n.code_tokens(source)
    # A translation on more lines than the comment would move the code: the English stays.
    assert i18n.replace_comments(source, lambda text: "两\n行") == source


def test_a_comment_over_several_lines_is_one_message_translated_line_for_line():
    source = "# first half of a sentence\n# and its second half\ny = 1  # inline\n    # alone\n"
    assert [i18n.group_text(g) for g in i18n.comment_groups(source)] == [
        "first half of a sentence\nand its second half", "inline", "alone"]
    translated = i18n.replace_comments(source, {"first half of a sentence\nand its second half":
                                                "句子的前半\n和后半", "inline": "行内",
                                                "alone": "单独"}.get)
    assert translated == "# 句子的前半\n# 和后半\ny = 1  # 行内\n    # 单独\n"
    assert i18n.translation_problems("a\nb", "甲乙", "comment") == [
        "a comment's translation must have as many lines as the comment (2)"]


def small_notebook(tmp_path, text="Hello there."):
    nb = new_notebook(cells=[new_markdown_cell(f"# Title\n\n{text}"),
                             new_code_cell("y = 2  # a comment", outputs=[])])
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": "slide"}
    nb.cells[1].metadata["tags"] = ["parameters"]
    path = tmp_path / "notebooks" / "01_small.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_update_keeps_translations_and_marks_changed_ones_fuzzy(tmp_path):
    path = small_notebook(tmp_path)
    catalog = i18n.update(path, tmp_path)
    assert [m.id for m in catalog if m.id] == ["# Title", "Hello there.", "a comment"]
    for message, chinese in zip([m for m in catalog if m.id], ["# 标题", "你好。", "注释"],
                                strict=True):
        message.string = chinese
    i18n.write_catalogue(catalog, i18n.catalogue_path(path, tmp_path))
    small_notebook(tmp_path, text="Hello there, students.")  # the English changes
    updated = i18n.update(path, tmp_path)
    assert updated["# Title"].string == "# 标题" and not updated["# Title"].fuzzy
    changed = updated["Hello there, students."]
    assert changed.fuzzy and changed.string == "你好。"  # the old translation, to review
    assert "Hello there." not in [m.id for m in updated]
    assert i18n.status(updated) == (3, 2, 1)
    # A fuzzy translation is not used: the Chinese notebook keeps the English until reviewed.
    english = nbformat.read(path, as_version=4)
    zh = i18n.translate_notebook(english, updated)
    assert zh.cells[0].source == "# 标题\n\nHello there, students."
    assert english.cells[0].source == "# Title\n\nHello there, students."  # a copy changed
    assert zh.cells[1].source == "y = 2  # 注释"
    assert zh.cells[1].metadata == nbformat.read(path, as_version=4).cells[1].metadata


def test_translation_problems_name_what_was_broken():
    english = "Use `x` and $a+b$:\n- one\n- two"
    assert i18n.translation_problems(english, "用 `x` 和 $a+b$：\n- 一\n- 二") == []
    problems = i18n.translation_problems(english, "用 x 和 $a+b$：\n- 一")
    assert any("inline code" in p for p in problems)
    assert any("markdown structure" in p for p in problems)
    assert i18n.translation_problems("a comment", "a comment", "comment") == [
        "no Chinese in the translation"]


def test_missing_catalogue_builds_english(tmp_path):
    path = small_notebook(tmp_path)
    zh = i18n.translate_notebook(nbformat.read(path, as_version=4), Catalog(locale="zh_CN"))
    assert zh.cells[0].source == "# Title\n\nHello there."
    assert zh.metadata["course"]["language"] == "zh_CN"


@pytest.mark.parametrize(("text", "bad"), [
    ("**看点：**文字", True), ("**看点：** 文字", False), ("文字**（注）**", True),
    ("**嵌入向量**。", False), ("看**嵌入**向量", False), ("是**`x`**", True),
    ("是 **`x`** 吗", False), ("**What to look at:** the", False),
])
def test_bold_that_commonmark_would_not_render_is_found(text, bad):
    assert bool(i18n.unrendered_bold(text)) == bad


def small_course(root):
    """A lesson and a homework solution (with a solution region), as the course lays them out."""
    lesson = new_notebook(cells=[new_markdown_cell("# Lesson\n\nRead this."),
                                 new_code_cell("x = 1  # the input")])
    homework = new_notebook(cells=[new_markdown_cell("Task 1: add."),
                                   new_code_cell("y = 2\n### BEGIN SOLUTION\nz = y + 1  # add\n"
                                                 "### END SOLUTION")])
    homework.cells[1].metadata["course"] = {"task": 1}
    for folder, name, nb in (("notebooks", "01_lesson", lesson), ("solutions", "02_hw", homework)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, root / folder / f"{name}.ipynb")


def test_the_commands_update_check_and_build_a_course(tmp_path, capsys):
    small_course(tmp_path)
    root = ["--root", str(tmp_path)]
    assert i18n.main(["update", *root]) == 0
    out = capsys.readouterr().out
    assert "locales/zh_CN/01_lesson.po" in out and "5 messages to translate" in out
    assert i18n.main(["check", *root]) == 1
    assert "01_lesson.po (cell 1) '# Lesson': untranslated" in capsys.readouterr().out
    chinese = {"# Lesson": "# 课", "Read this.": "读这个。", "the input": "输入",
               "Task 1: add.": "任务 1：相加。", "add": "相加"}
    for notebook in i18n.source_notebooks(tmp_path):
        path = i18n.catalogue_path(notebook, tmp_path)
        catalog = i18n.read_catalogue(path)
        for message in catalog:
            if message.id:
                message.string = chinese[message.id]
        i18n.write_catalogue(catalog, path)
    assert i18n.main(["check", "01_lesson", *root]) == 0
    assert i18n.main(["check", *root]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "every message translated, none broken"
    assert i18n.main(["build", "--check", *root]) == 1  # nothing built yet
    assert i18n.main(["build", *root]) == 0
    built = capsys.readouterr().out
    for path in ("notebooks/zh/01_lesson.ipynb", "solutions/zh/02_hw.ipynb",
                 "notebooks/zh/02_hw.ipynb"):
        assert f"built       {path}" in built
    assert i18n.main(["build", "--check", *root]) == 0
    student = nbformat.read(tmp_path / "notebooks/zh/02_hw.ipynb", as_version=4)
    assert "z = y + 1" not in student.cells[1].source and "NotDone(1)" in student.cells[1].source
    solution = nbformat.read(tmp_path / "solutions/zh/02_hw.ipynb", as_version=4)
    assert solution.cells[1].source.endswith("z = y + 1  # 相加\n### END SOLUTION")
    assert nbformat.read(tmp_path / "notebooks/zh/01_lesson.ipynb",
                         as_version=4).cells[0].source == "# 课\n\n读这个。"
    assert i18n.main(["update", *root]) == 0  # nothing changed in English: all kept
    assert capsys.readouterr().out.splitlines()[-1] == "every message is translated"


def test_what_is_a_message_in_markdown():
    source = ("Intro.\n$$ x = 1 $$\nStill the intro.\n\n---\n\n1. first\n2. second\n\n"
              "```\nplain fence\n\nwith a blank line\n```\n$$\ny\n$$\nAfter.")
    blocks = i18n.split_markdown(source)
    assert i18n.join_markdown([text for text, _ in blocks]) == source
    # A $$ formula inside a paragraph is part of the message (the check keeps it exact).
    assert [text for text, is_message in blocks if is_message] == [
        "Intro.\n$$ x = 1 $$\nStill the intro.", "1. first\n2. second", "After."]
    # A rule or a number alone has no letter: nothing to translate.
    assert ("---", False) in blocks
    assert ("```\nplain fence\n\nwith a blank line\n```", False) in blocks
    assert ("$$\ny\n$$", False) in blocks


def test_what_is_a_message_in_code():
    source = ("x = 1  # type: ignore\ny = 2  # pragma: no cover\n# fmt: off\n# ruff: noqa\n"
              "# ---\nz = 3  # three\n")
    assert [i18n.comment_text(t.string) for t in i18n.comment_tokens(source)] == ["three"]
    assert i18n.comment_tokens("def f(:\n  # broken\n") == []  # not Python: no message
    # Own-line comments at another column, or after a comment that follows code, start anew.
    source = "a = 1  # after code\n# own line\n# same group\n    # deeper\n"
    assert [i18n.group_text(g) for g in i18n.comment_groups(source)] == [
        "after code", "own line\nsame group", "deeper"]
    nb = new_notebook(cells=[new_markdown_cell("Text."), new_code_cell(source)])
    assert [(m.text, m.cell, m.kind) for m in i18n.messages_of(nb)] == [
        ("Text.", 0, "markdown"), ("after code", 1, "comment"),
        ("own line\nsame group", 1, "comment"), ("deeper", 1, "comment")]


def test_a_catalogue_says_where_each_message_is_and_how_to_translate_it(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("# Title"),
                             new_code_cell("# two lines\n# of comment\nx = 1  # one line"),
                             new_markdown_cell("# Title"),
                             new_markdown_cell("It fails on 41<!-- = a - b --> seeds.")])
    path = tmp_path / "notebooks" / "03_where.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    i18n.update(path, tmp_path)
    po = i18n.catalogue_path(path, tmp_path)
    assert po == tmp_path / "locales" / "zh_CN" / "03_where.po"
    text = po.read_text(encoding="utf-8")
    for line in ("# Chinese translation of notebooks/03_where.ipynb, a notebook of the course "
                 "RNN basics in PyTorch.",
                 "# Edit it with any PO editor. `make translations` updates it from the English "
                 "notebook;", "# `make zh` builds the Chinese notebook from it.",
                 '"Project-Id-Version: RNN basics in PyTorch 03_where\\n"',
                 '"Report-Msgid-Bugs-To: the course\'s issue tracker\\n"',
                 '"POT-Creation-Date: 2026-11-01 00:00+0000\\n"',
                 '"PO-Revision-Date: 2026-11-01 00:00+0000\\n"',
                 '"Last-Translator: the course\'s maintainers\\n"',
                 '"Language: zh_CN\\n"', '"Language-Team: Chinese (Simplified)\\n"',
                 "#. markdown paragraph\n#: 03_where.ipynb:1 03_where.ipynb:3\nmsgid \"# Title\"",
                 "#. code comment on 2 lines: translate on 2 lines\n#: 03_where.ipynb:2",
                 "#. code comment: translate on one line\n#: 03_where.ipynb:2\n"
                 "msgid \"one line\"",
                 "#. markdown paragraph\n#. a number followed by <!-- = ... --> quotes the run: "
                 "keep the number and its\n#. marker together, as they are\n"
                 "#: 03_where.ipynb:4\nmsgid \"It fails on 41<!-- = a - b --> seeds.\""):
        assert line in text, line
    assert "fuzzy" not in text
    # Nothing changed: the file is not written again (same bytes, same time).
    before = po.stat().st_mtime_ns
    i18n.update(path, tmp_path)
    assert po.stat().st_mtime_ns == before and po.read_text(encoding="utf-8") == text


def test_every_kind_of_broken_translation_is_named():
    english = "See [the docs](https://example.org), $x_t$ and `h`:\n1. one\n   - nested"
    good = "见[文档](https://example.org)、$x_t$ 和 `h`：\n1. 一\n   - 嵌套"
    assert i18n.translation_problems(english, good) == []
    assert i18n.translation_problems(english, good.replace("$x_t$", "x_t")) == [
        "formulas differ (missing: ['$x_t$'])"]
    assert i18n.translation_problems(english, good.replace("(https://example.org)", "")) == [
        "links differ (missing: ['https://example.org'])"]
    assert i18n.translation_problems(english, good.replace("`h`", "h")) == [
        "inline code differ (missing: ['`h`'])"]
    assert i18n.translation_problems(english, good.replace("   - 嵌套", "- 嵌套")) == [
        "markdown structure differs: ['01.', '3-'] vs ['01.', '0-']"]
    assert i18n.translation_problems("## Title", "# 标题") == [
        "markdown structure differs: ['##'] vs ['#']"]
    assert i18n.translation_problems("**Look:** here", "**看：**这里") == [
        "** that does not render as bold: ['看：**这里'] (add a space after a closing ** "
        "that follows punctuation, or move the punctuation outside the **)"]
    # A comment is checked for its lines, not for bold or structure.
    assert i18n.translation_problems("# a\n1. b", "# 甲", "comment") == [
        "a comment's translation must have as many lines as the comment (2)"]
    assert i18n.translation_problems("`a` `b` `c` `d`", "没有代码") == [
        "inline code differ (missing: ['`a`', '`b`', '`c`'])"]  # the first three named


def test_a_translation_must_keep_each_number_marked_as_a_result_with_its_marker():
    """A number that quotes the run carries a marker (tools/prose_numbers.py) that the
    Chinese must keep, next to the same number, like a code span."""
    a = "<!-- = sweep.seeds - sweep.lecture_converged -->"
    english = f"fail on 41{a} of 100 seeds (**16<!-- = b --> in 60**)"
    good = f"100 个种子中有 41{a} 个失败（**60 轮仍有 16<!-- = b --> 个**）"
    assert i18n.translation_problems(english, good) == []
    broken = {
        "dropped": good.replace("<!-- = b -->", ""),
        "changed": good.replace("<!-- = b -->", "<!-- = c -->"),
        "moved to another number": good.replace("16<!-- = b -->", "16").replace(
            "60", "60<!-- = b -->"),
        "its number changed": good.replace("41<!--", "42<!--"),
        "its number left out": good.replace("41<!--", "<!--"),
    }
    missing = {"dropped": "16<!-- = b -->", "changed": "16<!-- = b -->",
               "moved to another number": "16<!-- = b -->",
               "its number changed": f"41{a}", "its number left out": f"41{a}"}
    for what, chinese in broken.items():
        assert i18n.translation_problems(english, chinese) == [
            f"numbers marked as results differ (missing: [{missing[what]!r}])"], what
    # A marker is opaque to the bold check: its ** is no bold marker.
    assert i18n.unrendered_bold("**甲** 是 $10^6$<!-- = 10 ** x --> 倍，**乙** 也是") == []


@pytest.mark.parametrize(("text", "found"), [
    ("** not bold**", ["** n"]), ("**bold **", ["d **"]), ("**(x)**", []),
    ("a**(x)**b", ["a**(x", "x)**b"]), ("**粗体**", []), ("", []), ("**", ["**"]),
])
def test_bold_markers_at_the_edges(text, found):
    assert i18n.unrendered_bold(text) == found


def test_the_check_names_each_message_that_is_not_ready(tmp_path):
    path = small_notebook(tmp_path)
    po = i18n.catalogue_path(path, tmp_path)
    assert i18n.catalogue_problems(path, tmp_path) == [
        "01_small.po: missing (run `make translations`)"]
    catalog = i18n.update(path, tmp_path)
    catalog["# Title"].string = "# 标题"
    catalog["Hello there."].string = "你好。"
    catalog["Hello there."].flags.add("fuzzy")
    i18n.write_catalogue(catalog, po)
    small_notebook(tmp_path, text="Hello there.\n\nA new paragraph.")  # not in the catalogue
    assert i18n.catalogue_problems(path, tmp_path) == [
        "01_small.po (cell 1) 'Hello there.': fuzzy (the English changed: review, then unmark)",
        "01_small.po (cell 1) 'A new paragraph.': not in the catalogue (run `make translations`)",
        "01_small.po (cell 2) 'a comment': untranslated"]


def test_update_prints_each_catalogue_and_what_is_left(tmp_path, capsys):
    small_course(tmp_path)
    assert i18n.main(["update", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{'locales/zh_CN/01_lesson.po':<48}    3 messages,    0 translated,   0 fuzzy,   3 new",
        f"{'locales/zh_CN/02_hw.po':<48}    2 messages,    0 translated,   0 fuzzy,   2 new",
        "5 messages to translate or review (fuzzy): open the .po files in a PO editor, then "
        "`make zh`"]


def test_build_check_names_what_is_out_of_date_and_writes_nothing(tmp_path, capsys, utf8_only):
    small_course(tmp_path)
    root = ["--root", str(tmp_path)]
    i18n.main(["update", *root])
    assert i18n.main(["build", *root]) == 0  # untranslated: English text, Chinese edition
    lesson = tmp_path / "notebooks" / "zh" / "01_lesson.ipynb"
    before = lesson.read_text(encoding="utf-8")
    po = tmp_path / "locales" / "zh_CN" / "01_lesson.po"
    catalog = i18n.read_catalogue(po)
    catalog["Read this."].string = "读这个。"
    i18n.write_catalogue(catalog, po)
    capsys.readouterr()
    assert i18n.main(["build", "--check", *root]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "out of date notebooks/zh/01_lesson.ipynb",
        "            2 messages left in English (missing, empty or fuzzy in "
        "locales/zh_CN/01_lesson.po): python -m tools.i18n check 01_lesson",
        "up to date  solutions/zh/02_hw.ipynb",
        "            2 messages left in English (missing, empty or fuzzy in "
        "locales/zh_CN/02_hw.po): python -m tools.i18n check 02_hw",
        "up to date  notebooks/zh/02_hw.ipynb",
        "4 messages left in English: translate them (`make translations`, then `python -m "
        "tools.i18n check`)"]
    assert err == "run `make zh` to rebuild the Chinese notebooks\n"
    assert lesson.read_text(encoding="utf-8") == before  # --check writes nothing
    assert i18n.main(["build", *root]) == 0
    assert "读这个。" in lesson.read_text(encoding="utf-8")
    assert lesson.read_text(encoding="utf-8").endswith("}\n")


def test_the_fine_points_of_comments():
    assert [i18n.comment_text(t.string) for t in i18n.comment_tokens(
        "x = 1  # RNN\ny = 2  #tight\n")] == ["RNN", "tight"]  # capitals only; no space
    assert i18n.split_markdown("RNN") == [("RNN", True)]
    assert (1, "x") in i18n.code_tokens("x = 1  # c")
    # Own-line comments in an indented block, under a line of code: one group.
    source = "if x:\n    # one\n    # two\n    y = 1\n"
    assert [i18n.group_text(g) for g in i18n.comment_groups(source)] == ["one\ntwo"]
    assert i18n.replace_comments(source, {"one\ntwo": "一\n二"}.get) == (
        "if x:\n    # 一\n    # 二\n    y = 1\n")
    assert i18n.replace_comments(source, lambda text: "只有一行") == source  # lines must match
    assert i18n.replace_comments("x = 1  # in\n", lambda text: "输入 的 值") == (
        "x = 1  # 输入 的 值\n")  # spaces inside a translated line are kept
    assert i18n.translation_problems("a\nb", "甲\n乙", "comment") == []


def test_bold_around_code_and_several_bold_words():
    assert i18n.unrendered_bold("是**`ab`**") == ["是**`x"]  # code shown as x's
    assert i18n.unrendered_bold("**`a`**文") == ["x`**文"]
    assert i18n.unrendered_bold("**(注)** 是") == []  # at the very start: after a space
    assert i18n.unrendered_bold("**a** and **b** or **c**") == []


def test_the_catalogue_keeps_notebook_order_previous_text_and_no_obsolete_entries(tmp_path):
    path = small_notebook(tmp_path, text="Zebra first.\n\nApple second.")
    catalog = i18n.update(path, tmp_path)
    for message in catalog:
        if message.id:
            message.string = "中文"
    po = i18n.catalogue_path(path, tmp_path)
    i18n.write_catalogue(catalog, po)
    small_notebook(tmp_path, text="Zebra first, changed.")  # one edited, one deleted
    i18n.update(path, tmp_path)
    text = po.read_text(encoding="utf-8")
    assert text.index('msgid "# Title"') < text.index("Zebra") < text.index('"a comment"')
    assert '#| msgid "Zebra first."\nmsgid "Zebra first, changed."' in text  # to review
    assert "Apple" not in text and "#~" not in text  # a deleted paragraph leaves no trace


def test_a_message_repeated_in_a_notebook_is_one_entry_and_the_rest_still_count(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("Same."), new_markdown_cell("Same."),
                             new_markdown_cell("After.")])
    path = tmp_path / "notebooks" / "05_twice.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    catalog = i18n.template(path)
    assert [m.id for m in catalog if m.id] == ["Same.", "After."]
    assert catalog["Same."].locations == [("05_twice.ipynb", 1), ("05_twice.ipynb", 2)]


def test_the_check_lists_every_broken_message_with_its_beginning(tmp_path):
    long = "A paragraph long enough to be cut short in the report, with `code` in it."
    nb = new_notebook(cells=[new_markdown_cell(long),
                             new_code_cell("# a comment\n# on two lines\nx = 1")])
    path = tmp_path / "notebooks" / "06_broken.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    catalog = i18n.update(path, tmp_path)
    catalog[long].string = "一段足够长的文字，没有代码。"
    catalog["a comment\non two lines"].string = "一行注释"
    i18n.write_catalogue(catalog, i18n.catalogue_path(path, tmp_path))
    assert i18n.catalogue_problems(path, tmp_path) == [
        f"06_broken.po (cell 1) {long[:50]!r}: inline code differ (missing: ['`code`'])",
        "06_broken.po (cell 2) 'a comment\\non two lines': a comment's translation must have "
        "as many lines as the comment (2)"]


def test_the_command_line(tmp_path, capsys):
    with pytest.raises(SystemExit):
        i18n.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert ("The Chinese edition: gettext catalogues of the English notebooks, and the "
            "notebooks built" in text)
    assert "{update,build,check}" in text and "--root" not in text
    assert "check: only these catalogues' notebooks" in text
    assert "build: write nothing; exit 1 if a stored notebook is out of date" in text
    with pytest.raises(SystemExit):
        i18n.main(["translate"])
    assert "invalid choice: 'translate'" in capsys.readouterr().err
    assert i18n.main(["check", "01_rnncell_onehot"]) == 0  # this course, one catalogue


def test_check_takes_the_named_catalogues_only_and_update_counts(tmp_path, capsys):
    small_course(tmp_path)
    root = ["--root", str(tmp_path)]
    i18n.main(["update", *root])
    po = tmp_path / "locales" / "zh_CN" / "01_lesson.po"
    catalog = i18n.read_catalogue(po)
    catalog["# Lesson"].string = "# 课"
    catalog["Read this."].string = "读这个。"
    catalog["Read this."].flags.add("fuzzy")
    i18n.write_catalogue(catalog, po)
    capsys.readouterr()
    assert i18n.main(["update", *root]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{'locales/zh_CN/01_lesson.po':<48}    3 messages,    1 translated,   1 fuzzy,   1 new")
    assert i18n.main(["check", *root]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "01_lesson.po (cell 1) 'Read this.': fuzzy (the English changed: review, then unmark)",
        "01_lesson.po (cell 2) 'the input': untranslated",
        "02_hw.po (cell 1) 'Task 1: add.': untranslated", "02_hw.po (cell 2) 'add': untranslated"]
    assert i18n.main(["check", "02_hw", *root]) == 1
    assert "01_lesson" not in capsys.readouterr().out


def test_a_notebook_without_a_catalogue_is_built_in_english_and_only_solutions_get_students(
        tmp_path, capsys):
    small_course(tmp_path)
    nbformat.write(new_notebook(cells=[new_markdown_cell("A solved example.")]),
                   tmp_path / "solutions" / "03_example.ipynb")  # no solution region
    assert i18n.main(["build", "--root", str(tmp_path)]) == 0  # no catalogue at all
    built = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("zh/*.ipynb"))
    assert built == ["notebooks/zh/01_lesson.ipynb", "notebooks/zh/02_hw.ipynb",
                     "solutions/zh/02_hw.ipynb", "solutions/zh/03_example.ipynb"]
    lesson = nbformat.read(tmp_path / "notebooks/zh/01_lesson.ipynb", as_version=4)
    assert lesson.cells[0].source == "# Lesson\n\nRead this."


def test_speaker_notes_in_metadata_are_messages_and_are_translated():
    title = new_markdown_cell("# Lesson", metadata={"course": {
        "speaker_notes": "First note.\n\nSecond note, `code`."}})
    nb = new_notebook(cells=[title, new_code_cell("x = 1")])
    assert [(m.text, m.cell, m.kind) for m in i18n.messages_of(nb)] == [
        ("# Lesson", 0, "markdown"), ("First note.", 0, "markdown"),
        ("Second note, `code`.", 0, "markdown")]
    catalog = Catalog(locale="zh_CN")
    catalog.add("First note.", "第一条。")
    catalog.add("Second note, `code`.", "第二条，`code`。")
    zh = i18n.translate_notebook(nb, catalog)
    assert zh.cells[0].metadata["course"]["speaker_notes"] == "第一条。\n\n第二条，`code`。"
    assert nb.cells[0].metadata["course"]["speaker_notes"].startswith("First")


def test_a_missing_empty_or_blank_translation_builds_english_and_is_reported(tmp_path, capsys):
    """A catalogue as a translator leaves it, read from its file: one message translated, one
    with msgstr "" (empty), one with msgstr " " (blank: it would build an empty paragraph), and
    one paragraph added to the English since (missing). The three build in English, never as an
    empty cell, and both the build and the check name them."""
    small_course(tmp_path)
    lesson = tmp_path / "notebooks" / "01_lesson.ipynb"
    nb = nbformat.read(lesson, as_version=4)
    nb.cells[0].source += "\n\nA new paragraph."
    nbformat.write(nb, lesson)
    po = tmp_path / "locales" / "zh_CN" / "01_lesson.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "# Lesson"\nmsgstr "# 课"\n\n'
                  'msgid "Read this."\nmsgstr ""\n\n'
                  'msgid "the input"\nmsgstr " "\n', encoding="utf-8")
    root = ["--root", str(tmp_path)]
    assert i18n.main(["build", *root]) == 0
    out = capsys.readouterr().out.splitlines()
    zh = nbformat.read(tmp_path / "notebooks" / "zh" / "01_lesson.ipynb", as_version=4)
    assert zh.cells[0].source == "# 课\n\nRead this.\n\nA new paragraph."
    assert zh.cells[1].source == "x = 1  # the input"
    assert out[:2] == [
        "built       notebooks/zh/01_lesson.ipynb",
        "            3 messages left in English (missing, empty or fuzzy in "
        "locales/zh_CN/01_lesson.po): python -m tools.i18n check 01_lesson"]
    assert "02_hw.po" in "\n".join(out)  # no catalogue at all: every message left in English
    assert out[-1] == ("5 messages left in English: translate them (`make translations`, then "
                       "`python -m tools.i18n check`)")
    assert i18n.main(["check", "01_lesson", *root]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "01_lesson.po (cell 1) 'Read this.': untranslated",
        "01_lesson.po (cell 1) 'A new paragraph.': not in the catalogue (run `make "
        "translations`)",
        "01_lesson.po (cell 2) 'the input': untranslated"]
    assert i18n.main(["build", "--check", *root]) == 0  # up to date, still reported
    assert "3 messages left in English" in capsys.readouterr().out
