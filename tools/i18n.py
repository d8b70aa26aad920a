"""The Chinese edition: gettext catalogues of the English notebooks, and the notebooks built
from them.

The English notebooks are the source. Their text is cut into **messages**: each paragraph of a
markdown cell, each paragraph of a cell's speaker notes (``metadata.course.speaker_notes``) and
each code comment. One catalogue per notebook,
``locales/zh_CN/<name>.po``, holds their translations; any PO editor or translation platform
opens it.

- ``python -m tools.i18n update`` (``make translations``): extract the messages and update the
  catalogues: existing translations are kept, a message whose English changed gets its old
  translation marked fuzzy (to review), a new one is added untranslated. Prints what is left.
- ``python -m tools.i18n check [NAME ...]``: list the messages that are untranslated, fuzzy or
  broken (code spans, formulas, links, numbers marked as results of the run or the markdown
  skeleton not kept; see ``translation_problems``).
- ``python -m tools.i18n build`` (``make zh``, and ``make refresh``): write ``notebooks/zh/``
  and ``solutions/zh/``: each English notebook, cell for cell, with its messages translated
  (outputs, metadata and code stay the English notebook's: code differs only in comments), and
  the homework's Chinese student version made from the Chinese solution by ``tools.student``.
  A message without a finished translation (missing, empty or blank, or fuzzy) stays English,
  and the build says how many per notebook (the tests insist there are none).
  ``--check`` writes nothing and exits 1 when a stored Chinese notebook is out of date.

What is not a message: fenced code and ``$$`` math blocks, the homework's solution markers,
tool directives in comments (``noqa``, ``type:``) and comments without a letter.
"""

from __future__ import annotations

import argparse
import copy
import io
import re
import sys
import tokenize
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from tools import prose_numbers, student
from tools.paths import NOTEBOOKS_DIR, ROOT, SOLUTIONS_DIR, course_notebooks, is_student_version

LOCALE = "zh_CN"
EDITION = "zh"  # notebooks/zh/, solutions/zh/
# Fixed header dates keep a catalogue's file unchanged when nothing in it changed.
HEADER_DATE = datetime(2026, 11, 1, tzinfo=UTC)
_DIRECTIVE = re.compile(r"^\s*(noqa|type:|pragma|fmt:|ruff:)")


@dataclass(frozen=True)
class Message:
    """One piece of English text, where it comes from (cell index) and what kind it is."""

    text: str
    cell: int
    kind: str  # "markdown" or "comment"


# --------------------------------------------------------------------------- markdown ----
def _is_marker(line: str) -> bool:
    return student.is_marker(line, student.BEGIN) or student.is_marker(line, student.END)


def split_markdown(source: str) -> list[tuple[str, bool]]:
    """Cut a markdown cell into blocks, in order, each with whether it is a message.

    Joined with the separators they came with, the blocks give back ``source`` exactly
    (``join_markdown``). A block is a paragraph (lines up to a blank line); a fenced code block
    or a ``$$`` math block is one block even with blank lines inside, and not a message; a
    solution marker line is a block of its own, not a message."""
    blocks: list[tuple[str, bool]] = []
    current: list[str] = []
    fence: str | None = None

    def close() -> None:
        if current:
            text = "\n".join(current)
            stripped = text.strip()
            verbatim = stripped.startswith(("```", "$$")) and stripped.endswith(("```", "$$"))
            blocks.append((text, bool(re.search(r"[A-Za-z]", text)) and not verbatim))
            current.clear()

    for line in source.split("\n"):
        marker = line.strip()
        if fence is None and (marker.startswith("```") or marker == "$$"):
            close()
            fence = "```" if marker.startswith("```") else "$$"
            current.append(line)
            continue
        if fence is not None:
            current.append(line)
            if (fence == "```" and marker.startswith("```")) or (fence == "$$" and marker == "$$"):
                fence = None
                close()
            continue
        if _is_marker(line):
            close()
            blocks.append((line, False))
        elif marker == "":
            close()
            blocks.append((line, False))  # the blank line itself, kept as it was
        else:
            current.append(line)
    close()
    return blocks


def join_markdown(blocks: list[str]) -> str:
    return "\n".join(blocks)


# --------------------------------------------------------------------------- comments ----
def comment_tokens(source: str) -> list[tokenize.TokenInfo]:
    """The comment tokens of a code cell that are messages (not directives, not markers)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    found = []
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        text = comment_text(token.string)
        if not re.search(r"[A-Za-z]", text) or _DIRECTIVE.match(text) or _is_marker(text):
            continue
        found.append(token)
    return found


def comment_text(comment: str) -> str:
    """``# text`` -> ``text``."""
    return comment[1:].strip()


def code_tokens(source: str) -> list[tuple[int, str]]:
    """The tokens of ``source`` without its comments: what must be equal in both editions."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(t.type, t.string) for t in tokens if t.type != tokenize.COMMENT]


def comment_groups(source: str) -> list[list[tokenize.TokenInfo]]:
    """The message comments of a code cell, grouped: comments on consecutive lines of their own,
    at the same column, are one sentence split over lines, so one message; a comment after
    code is a message of its own."""
    lines = source.split("\n")
    groups: list[list[tokenize.TokenInfo]] = []
    previous = None
    for token in comment_tokens(source):
        row, col = token.start
        alone = lines[row - 1][:col].strip() == ""
        if alone and previous is not None and previous[:2] == (row - 1, col) and previous[2]:
            groups[-1].append(token)
        else:
            groups.append([token])
        previous = (row, col, alone)
    return groups


def group_text(group: list[tokenize.TokenInfo]) -> str:
    """The message of a comment group: its lines' texts, one per line."""
    return "\n".join(comment_text(token.string) for token in group)


def replace_comments(source: str, translate) -> str:
    """``source`` with each comment group's lines replaced by ``# `` + the lines of
    ``translate(text)``. A translation with another number of lines than the group keeps the
    English (the code's lines must not move; ``python -m tools.i18n check`` reports it)."""
    lines = source.split("\n")
    for group in reversed(comment_groups(source)):
        text = group_text(group)
        translated = translate(text).split("\n")
        if len(translated) != len(group):
            translated = text.split("\n")
        for token, line in zip(group, translated, strict=True):
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col] + "# " + line
    return "\n".join(lines)


# --------------------------------------------------------------------------- messages ----
def messages_of(nb: nbformat.NotebookNode) -> list[Message]:
    """Every message of a notebook, in order."""
    found: list[Message] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += [Message(text, index, "markdown")
                      for text, is_message in split_markdown(cell.source) if is_message]
        elif cell.cell_type == "code":
            found += [Message(group_text(g), index, "comment")
                      for g in comment_groups(cell.source)]
        notes = _speaker_notes(cell)
        if notes is not None:
            found += [Message(text, index, "markdown")
                      for text, is_message in split_markdown(notes) if is_message]
    return found


def _speaker_notes(cell: nbformat.NotebookNode) -> str | None:
    notes = cell.get("metadata", {}).get("course", {}).get("speaker_notes")
    return notes if isinstance(notes, str) else None


def source_notebooks(root: Path = ROOT) -> list[Path]:
    """The English notebooks that are translated: every lesson and the homework's solution
    (its student version is generated, in Chinese too)."""
    return [p for p in course_notebooks(root) if not is_student_version(p)]


def catalogue_path(notebook: Path, root: Path = ROOT) -> Path:
    return root / "locales" / LOCALE / f"{notebook.stem}.po"


def zh_path(notebook: Path) -> Path:
    """notebooks/X.ipynb -> notebooks/zh/X.ipynb (solutions/ likewise)."""
    return notebook.parent / EDITION / notebook.name


def template(notebook: Path) -> Catalog:
    """The catalogue of the notebook's messages, without translations."""
    nb = nbformat.read(notebook, as_version=4)
    catalog = Catalog(
        locale=LOCALE, project="RNN basics in PyTorch", version=notebook.stem, fuzzy=False,
        creation_date=HEADER_DATE, revision_date=HEADER_DATE,
        msgid_bugs_address="the course's issue tracker", language_team="Chinese (Simplified)",
        last_translator="the course's maintainers",
        header_comment=(f"# Chinese translation of {notebook.parent.name}/{notebook.name}, a "
                        "notebook of the course RNN basics in PyTorch.\n"
                        "# Edit it with any PO editor. `make translations` updates it from the "
                        "English notebook;\n# `make zh` builds the Chinese notebook from it."),
    )
    for message in messages_of(nb):
        where = (notebook.name, message.cell + 1)  # the cell's number, counting from 1
        if message.text in catalog:
            catalog[message.text].locations.append(where)
            continue
        lines = message.text.count("\n") + 1
        note = ("markdown paragraph" if message.kind == "markdown" else
                "code comment: translate on one line" if lines == 1 else
                f"code comment on {lines} lines: translate on {lines} lines")
        notes = [note]
        if prose_numbers.marked_numbers(message.text):
            notes.append("a number followed by <!-- = ... --> quotes the run: keep the number "
                         "and its marker together, as they are")
        catalog.add(message.text, locations=[where], auto_comments=notes)
    return catalog


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=LOCALE)


def write_catalogue(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.creation_date = catalog.revision_date = HEADER_DATE
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, ignore_obsolete=True, include_previous=True,
             sort_output=False)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def update(notebook: Path, root: Path = ROOT) -> Catalog:
    """Bring the notebook's catalogue in line with its English text (see the module's doc)."""
    path = catalogue_path(notebook, root)
    fresh = template(notebook)
    if path.exists():
        catalog = read_catalogue(path)
        catalog.update(fresh, no_fuzzy_matching=False, update_header_comment=False)
    else:
        catalog = fresh
    write_catalogue(catalog, path)
    return catalog


def status(catalog: Catalog) -> tuple[int, int, int]:
    """(messages, translated and not fuzzy, fuzzy)."""
    messages = [m for m in catalog if m.id]
    done = sum(1 for m in messages if m.string and not m.fuzzy)
    fuzzy = sum(1 for m in messages if m.fuzzy)
    return len(messages), done, fuzzy


# --------------------------------------------------------------------------- checks ------
_CODE = re.compile(r"`[^`]+`")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
_LINK = re.compile(r"\]\(([^)]+)\)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def unrendered_bold(text: str) -> list[str]:
    """The ``**`` markers that CommonMark (JupyterLab, the decks) does not take as bold.

    An opening ``**`` must not be followed by a space, and if followed by punctuation it must
    come after a space or punctuation; a closing one likewise mirrored. Chinese punctuation
    counts: ``**看点：**文字`` and ``文字**（注）**`` show their asterisks; a space after
    ``**看点：**``, or the punctuation moved outside the ``**``, fixes them."""
    text = _CODE.sub(lambda m: "`" + "x" * (len(m.group()) - 2) + "`", text)  # code: opaque
    text = prose_numbers.MARKER.sub(lambda m: "x" * len(m.group()), text)  # markers: opaque
    found = []
    for n, match in enumerate(re.finditer(r"(?<!\*)\*\*(?!\*)", text)):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if n % 2 == 0:  # opening
            ok = not after.isspace() and (not _is_punctuation(after) or before.isspace()
                                          or _is_punctuation(before))
        else:  # closing
            ok = not before.isspace() and (not _is_punctuation(before) or after.isspace()
                                           or _is_punctuation(after))
        if not ok:
            found.append(text[max(match.start() - 2, 0):match.end() + 2])
    return found


def _structure(text: str) -> list[str]:
    """The markdown skeleton: heading levels and list markers, line by line."""
    found = []
    for line in text.split("\n"):
        heading = re.match(r"^(#+) ", line)
        item = re.match(r"^(\s*)([-*]|\d+\.) ", line)
        if heading:
            found.append(heading.group(1))
        elif item:
            found.append(f"{len(item.group(1))}{'-' if item.group(2) in '-*' else '1.'}")
    return found


def translation_problems(english: str, chinese: str, kind: str = "markdown") -> list[str]:
    """What a translation breaks: code spans, formulas and links must be kept exactly, the
    markdown skeleton (headings, list items) too, and each number marked as a result of the run
    with its marker (``59<!-- = key -->``, see ``tools.prose_numbers``); a comment stays on one
    line; the text must be Chinese."""
    problems = []
    for name, find in (("inline code", _CODE.findall), ("formulas", _MATH.findall),
                       ("links", _LINK.findall),
                       ("numbers marked as results", prose_numbers.marked_numbers)):
        if sorted(find(english)) != sorted(find(chinese)):
            missing = sorted(set(find(english)) - set(find(chinese)))
            problems.append(f"{name} differ (missing: {missing[:3]})")
    if kind == "markdown" and _structure(english) != _structure(chinese):
        problems.append(f"markdown structure differs: {_structure(english)} vs "
                        f"{_structure(chinese)}")
    if kind == "comment" and chinese.count("\n") != english.count("\n"):
        problems.append(f"a comment's translation must have as many lines as the comment "
                        f"({english.count(chr(10)) + 1})")
    if kind == "markdown" and unrendered_bold(chinese):
        problems.append(f"** that does not render as bold: {unrendered_bold(chinese)} (add a "
                        "space after a closing ** that follows punctuation, or move the "
                        "punctuation outside the **)")
    if not _CJK.search(chinese):
        problems.append("no Chinese in the translation")
    return problems


def catalogue_problems(notebook: Path, root: Path = ROOT) -> list[str]:
    """Every message of the notebook that is untranslated, fuzzy or broken, one line each."""
    path = catalogue_path(notebook, root)
    if not path.exists():
        return [f"{path.name}: missing (run `make translations`)"]
    catalog = read_catalogue(path)
    problems = []
    for message in messages_of(nbformat.read(notebook, as_version=4)):
        entry = catalog.get(message.text)
        where = f"{path.name} (cell {message.cell + 1}) {message.text[:50]!r}"
        if entry is None:
            problems.append(f"{where}: not in the catalogue (run `make translations`)")
        elif not finished(entry.string):
            problems.append(f"{where}: untranslated")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy (the English changed: review, then unmark)")
        else:
            problems += [f"{where}: {p}" for p in
                         translation_problems(message.text, entry.string, message.kind)]
    return list(dict.fromkeys(problems))


# --------------------------------------------------------------------------- build -------
def finished(translation) -> bool:
    """Whether a catalogue's msgstr holds a translation: not empty, not only blanks (a blank
    msgstr would build an empty paragraph or comment)."""
    return isinstance(translation, str) and translation.strip() != ""


def translation_of(catalog: Catalog, text: str) -> str | None:
    """The finished translation of ``text``; None when it is missing, empty, blank or fuzzy."""
    message = catalog.get(text)
    if message is None or not finished(message.string) or message.fuzzy:
        return None
    return message.string


def translator(catalog: Catalog):
    """text -> its finished translation, or the text itself (missing, empty, blank or fuzzy)."""
    def translate(text: str) -> str:
        translation = translation_of(catalog, text)
        return text if translation is None else translation
    return translate


def left_in_english(nb: nbformat.NotebookNode, catalog: Catalog) -> list[Message]:
    """The messages of ``nb`` that the build leaves in English (no finished translation)."""
    return [m for m in messages_of(nb) if translation_of(catalog, m.text) is None]


def translate_notebook(nb: nbformat.NotebookNode, catalog: Catalog) -> nbformat.NotebookNode:
    """A copy of ``nb`` with its messages translated; everything else (outputs, metadata,
    code tokens, cell ids) as it was."""
    translate = translator(catalog)
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type == "markdown":
            blocks = [translate(text) if is_message else text
                      for text, is_message in split_markdown(cell.source)]
            cell.source = join_markdown(blocks)
        elif cell.cell_type == "code":
            cell.source = replace_comments(cell.source, translate)
        notes = _speaker_notes(cell)
        if notes is not None:
            cell.metadata["course"]["speaker_notes"] = join_markdown(
                [translate(text) if is_message else text for text, is_message in
                 split_markdown(notes)])
    out.metadata.setdefault("course", {})["language"] = LOCALE
    return out


def _catalogue_or_empty(notebook: Path, root: Path) -> Catalog:
    path = catalogue_path(notebook, root)
    return read_catalogue(path) if path.exists() else Catalog(locale=LOCALE)


def built_notebooks(root: Path = ROOT) -> dict[Path, nbformat.NotebookNode]:
    """Every notebook of the Chinese edition, by the path it is stored at."""
    built: dict[Path, nbformat.NotebookNode] = {}
    for notebook in source_notebooks(root):
        catalog = _catalogue_or_empty(notebook, root)
        zh = translate_notebook(nbformat.read(notebook, as_version=4), catalog)
        built[zh_path(notebook)] = zh
        if notebook.parent.name == SOLUTIONS_DIR.name and student.has_solutions(zh):
            student_version = student.make_student_notebook(zh)
            built[root / NOTEBOOKS_DIR.name / EDITION / notebook.name] = student_version
    return built


def as_text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "build", "check"])
    parser.add_argument("notebooks", nargs="*", help="check: only these catalogues' notebooks")
    parser.add_argument("--check", action="store_true",
                        help="build: write nothing; exit 1 if a stored notebook is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # tests
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "update":
        left = 0
        for notebook in source_notebooks(root):
            catalog = update(notebook, root)
            total, done, fuzzy = status(catalog)
            left += total - done
            rel = catalogue_path(notebook, root).relative_to(root)
            print(f"{str(rel):<48} {total:>4} messages, {done:>4} translated, {fuzzy:>3} fuzzy, "
                  f"{total - done - fuzzy:>3} new")
        print("every message is translated" if left == 0 else
              f"{left} messages to translate or review (fuzzy): open the .po files in a PO "
              "editor, then `make zh`")
        return 0
    if args.command == "check":
        problems = []
        wanted = {Path(n).stem for n in args.notebooks}
        for notebook in source_notebooks(root):
            if not wanted or notebook.stem in wanted:
                problems += catalogue_problems(notebook, root)
        print("\n".join(problems) if problems else "every message translated, none broken")
        return 1 if problems else 0
    stale = []
    # The messages each Chinese notebook keeps in English, named under its line.
    english = {zh_path(notebook): (notebook, left_in_english(
        nbformat.read(notebook, as_version=4), _catalogue_or_empty(notebook, root)))
        for notebook in source_notebooks(root)}
    left = 0
    for path, nb in built_notebooks(root).items():
        text = as_text(nb)
        rel = path.relative_to(root)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            print(f"up to date  {rel}")
        elif args.check:
            stale.append(str(rel))
            print(f"out of date {rel}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"built       {rel}")
        notebook, messages = english.get(path, (None, []))
        if messages:
            left += len(messages)
            po = catalogue_path(notebook, root).relative_to(root)
            print(f"{'':12}{len(messages)} messages left in English (missing, empty or fuzzy in "
                  f"{po}): python -m tools.i18n check {notebook.stem}")
    if left:
        print(f"{left} messages left in English: translate them (`make translations`, then "
              "`python -m tools.i18n check`)")
    if stale:
        print("run `make zh` to rebuild the Chinese notebooks", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
