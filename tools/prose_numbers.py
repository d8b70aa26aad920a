"""Numbers in a lesson's prose that quote its run, checked against the stored run.

Where the markdown of a lesson quotes a result of its run (a count of seeds, a ratio, an
accuracy, a power of ten), an HTML comment right after the number says where it comes from.
JupyterLab, the decks and GitHub do not show it; the translation keeps it as it is::

    the lecture model reaches the target on 59<!-- = sweep.lecture_converged --> of 100 seeds
    讲义模型在 100 个种子中有 59<!-- = sweep.lecture_converged --> 个达到目标

Between ``<!-- =`` and ``-->`` stands an **expression**, in a small language:

- ``sweep.lecture_converged``: a value of the notebook's summary (the dict shown by its cell
  tagged ``summary``), a dot for each key; ``comparison["packed, bidirectional"].first[0]`` for
  a key that is not a name, or an item of a list; ``sweep_counts.gru[15]`` for an int key;
- ``printed("cell-07", r"^ +5,000 +5,000 +([\\d.]+)%")``: a number printed by the code cell
  whose id is ``cell-07`` (its stdout and its ``text/plain`` results): the regular expression
  (multi-line: ``^`` and ``$`` match at each line) must match exactly once there, and its first
  group (else the whole match) is read as a number;
- numbers, ``+ - * / **``, parentheses and ``abs(x)``, for a number derived from those:
  ``sweep.seeds - sweep.lecture_converged`` for "41 of 100 seeds fail".

Nothing else: no other names or calls. A marker holds no ``--`` (HTML does not allow it in a
comment), and no ``$``, ``\\(`` or ``\\[`` (JupyterLab would take them for the start of a
formula, even in a comment): end a line in a regular expression with ``\\n``, not ``$``.

The **number** is what stands right before the comment: digits with an optional sign and
decimals, thousands grouped by commas or no-break spaces (``59``, ``0.341``, ``5,000``), or a
power of ten in a formula (``$10^6$``, ``$10^{-24}$``); a letter, digit, point or comma right
before it makes it no number (``v2``). It is compared at the precision
the prose shows it: ``0.341`` holds for a value from 0.3405 to 0.3415, ``59`` for 58.5 to 59.5,
``$10^6$`` for 10^5.5 to 10^6.5.

What is not marked: a claim that holds for every parameter ("the loss falls"), a parameter or
its default (``lr = 0.05``, "15 epochs"), a definition or a value of a formula the text states,
and a figure measured elsewhere that says so ("measured on an H100").

``python -m tools.prose_numbers [NOTEBOOK ...]`` checks every course notebook of both editions
(or those named) and lists each marked number with its value (``--list``); the tests
(``tests/test_prose_numbers.py``) do the same. ``tools.i18n`` reports a translation that drops
or changes a marked number.
"""

from __future__ import annotations

import argparse
import ast
import math
import operator
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from tools.paths import ROOT, course_notebooks, is_student_version

# A marker: "<!-- =" expression "-->", on one line.
MARKER = re.compile(r"<!--\s*=(?P<expr>[^\n]*?)-->")
# The number that a marker follows, at the end of the text before it.
# Thousands grouped by commas or no-break spaces, not plain spaces: "in 15 100<!-- -->" is 100.
_GROUP = ",\u00a0\u2009\u202f"
_DIGITS = rf"\d{{1,3}}(?:[{_GROUP}]\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PLAIN = re.compile(rf"(?<![0-9A-Za-z_.,])(?P<sign>[-+\u2212]?)(?P<digits>{_DIGITS})$")
_POWER = re.compile(r"\$\s*10\s*\^\s*(?:\{\s*(?P<braced>[-+\u2212]?\d+)\s*\}|(?P<bare>\d))\s*\$$")
_PRINTED_POWER = re.compile(r"10\^\{?(?P<exponent>[-+\u2212]?\d+)\}?")


class ExpressionError(ValueError):
    """An expression that is not in the language, or that cannot be evaluated here."""


@dataclass(frozen=True)
class Number:
    """A number as the prose shows it: its value, and the precision it is shown at."""

    text: str
    value: float
    decimals: int = 0  # digits after the point (plain numbers)
    power: bool = False  # a power of ten: compared by its exponent

    def matches(self, value: float) -> bool:
        """Whether ``value``, shown at this number's precision, is this number."""
        if self.power:
            return value > 0 and abs(math.log10(value) - self.value) <= 0.5 + 1e-9
        tolerance = 0.5 * 10 ** -self.decimals
        return abs(value - self.value) <= tolerance * (1 + 1e-9)


def read_number(text: str) -> Number | None:
    """The number at the very end of ``text`` (see the module's doc), or None."""
    power = _POWER.search(text)
    if power:
        exponent = (power["braced"] or power["bare"]).replace("\u2212", "-")
        return Number(power.group(), float(int(exponent)), power=True)
    plain = _PLAIN.search(text)
    if not plain:
        return None
    digits = re.sub(f"[{_GROUP}]", "", plain["digits"])
    sign = -1 if plain["sign"] in ("-", "\u2212") else 1
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Number(plain.group(), sign * float(digits), decimals)


def marked_numbers(text: str) -> list[str]:
    """Every marker of ``text`` with the number before it, as written: ``59<!-- = key -->``
    (a marker without a number: the marker alone)."""
    found = []
    for marker in MARKER.finditer(text):
        number = read_number(text[:marker.start()])
        found.append((number.text if number else "") + marker.group())
    return found


# ----------------------------------------------------------------------- expressions ------
_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
}


class Run:
    """What a notebook's stored run shows: its summary and what each code cell printed."""

    def __init__(self, nb: nbformat.NotebookNode):
        self.nb = nb
        self._summary: dict[str, Any] | None = None

    @property
    def summary(self) -> dict[str, Any]:
        if self._summary is None:
            self._summary = read_summary(self.nb)
        return self._summary

    def printed(self, cell_id: str) -> str:
        """The text that the code cell ``cell_id`` printed or showed (``text/plain``)."""
        cells = [c for c in self.nb.cells if c.get("id") == cell_id and c.cell_type == "code"]
        if not cells:
            raise ExpressionError(f"no code cell has the id {cell_id!r}")
        parts = []
        for output in cells[0].get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            elif "text/plain" in output.get("data", {}):
                parts.append(output.data["text/plain"])
        return "".join(parts)


def read_summary(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The dict shown by the notebook's cell tagged ``summary``."""
    cells = [c for c in nb.cells if "summary" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ExpressionError(f"the notebook has {len(cells)} cells tagged 'summary', not one")
    shown = [o for o in cells[0].get("outputs", []) if "text/plain" in o.get("data", {})]
    if not shown:
        raise ExpressionError("the summary cell has no stored output (run `make refresh`)")
    value = ast.literal_eval(shown[-1].data["text/plain"])
    if not isinstance(value, dict):
        raise ExpressionError(f"the summary is a {type(value).__name__}, not a dict")
    return value


def evaluate(expression: str, run: Run) -> float:
    """The value of a marker's expression (see the module's doc) for ``run``."""
    if "--" in expression:
        raise ExpressionError("a marker cannot hold '--' (HTML comments do not allow it)")
    for formula in ("$", "\\(", "\\)", "\\[", "\\]"):
        if formula in expression:
            raise ExpressionError(f"a marker cannot hold {formula!r}: JupyterLab reads it as a "
                                  "formula's delimiter (end a line with \\n, not $)")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as err:
        raise ExpressionError(f"not an expression: {err.msg}") from None
    value = _value(tree.body, run)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExpressionError(f"gives {value!r}, not a number")
    return value


def _value(node: ast.AST, run: Run) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str):
        return node.value
    if isinstance(node, ast.Name):
        return _item(run.summary, node.id, "the summary")
    if isinstance(node, ast.Attribute):
        return _item(_value(node.value, run), node.attr, ast.unparse(node.value))
    if isinstance(node, ast.Subscript):
        try:
            key = ast.literal_eval(node.slice)  # 0, -1, "packed, bidirectional"
        except ValueError:
            key = None
        if not isinstance(key, int | str):
            raise ExpressionError(f"[{ast.unparse(node.slice)}]: only a key or an index as "
                                  "written, e.g. [0] or [\"packed, bidirectional\"]")
        return _item(_value(node.value, run), key, ast.unparse(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _number(_value(node.operand, run), node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left = _number(_value(node.left, run), node.left)
        right = _number(_value(node.right, run), node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 400:
            raise ExpressionError(f"{ast.unparse(node)}: an exponent beyond 400")
        try:
            return _BINARY[type(node.op)](left, right)
        except ZeroDivisionError:
            raise ExpressionError(f"{ast.unparse(node)}: division by zero") from None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        args = [_value(a, run) for a in node.args]
        if node.func.id == "abs" and len(args) == 1:
            return abs(_number(args[0], node.args[0]))
        if node.func.id == "printed" and len(args) == 2 and all(isinstance(a, str) for a in args):
            return _printed(run, *args)
    raise ExpressionError(f"{ast.unparse(node)!r} is not in the markers' language (summary "
                          "keys, numbers, + - * / **, abs(x), printed(\"cell id\", r\"regex\"))")


def _item(container: Any, key: Any, where: str) -> Any:
    if isinstance(container, dict):
        if key not in container:
            raise ExpressionError(f"{where} has no key {key!r} (its keys: {list(container)})")
        return container[key]
    if isinstance(container, list | tuple) and isinstance(key, int) and not isinstance(key, bool):
        if not -len(container) <= key < len(container):
            raise ExpressionError(f"{where} has {len(container)} items, no item {key}")
        return container[key]
    raise ExpressionError(f"{where} is {container!r}: it has no item {key!r}")


def _number(value: Any, node: ast.AST) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExpressionError(f"{ast.unparse(node)} is {value!r}, not a number")
    return value


def _printed(run: Run, cell_id: str, pattern: str) -> float:
    text = run.printed(cell_id)
    try:
        found = list(re.finditer(pattern, text, re.MULTILINE))
    except re.error as err:
        raise ExpressionError(f"printed(): {pattern!r} is not a regular expression: "
                              f"{err}") from None
    if len(found) != 1:
        raise ExpressionError(f"printed(): {pattern!r} matches {len(found)} times in what cell "
                              f"{cell_id} printed, not once:\n{text.rstrip()}")
    match = found[0]
    shown = (match.group(1) if match.re.groups else match.group()).strip()
    power = _PRINTED_POWER.fullmatch(shown)
    if power:  # "10^6"
        return 10.0 ** int(power["exponent"].replace("\u2212", "-"))
    number = read_number(shown)
    if number is None or number.text != shown:
        raise ExpressionError(f"printed(): cell {cell_id} printed {shown!r}, not a number")
    return number.value


# ----------------------------------------------------------------------- notebooks --------
@dataclass(frozen=True)
class Marked:
    """A marked number of a notebook and what the run gives for it."""

    cell: int  # counting from 1, as the catalogues do
    cell_id: str
    number: str  # as the prose shows it ("" when no number stands before the marker)
    expression: str
    value: float | None
    problem: str  # "" when the number holds

    def describe(self) -> str:
        where = f"cell {self.cell} (id {self.cell_id})"
        if not self.problem:
            return f"{where}: {self.number} = {self.expression.strip()} = {self.value:g}"
        return f"{where}: {self.problem}"


def _prose(cell: nbformat.NotebookNode) -> list[str]:
    """The prose of a cell: a markdown cell's text, and any cell's speaker notes."""
    texts = [cell.source] if cell.cell_type == "markdown" else []
    notes = cell.get("metadata", {}).get("course", {}).get("speaker_notes")
    return texts + ([notes] if isinstance(notes, str) else [])


def check_notebook(nb: nbformat.NotebookNode) -> list[Marked]:
    """Every marked number of ``nb``, in order, each checked against the stored run."""
    run = Run(nb)
    student = bool(nb.get("metadata", {}).get("course", {}).get("student_version"))
    found = []
    for index, cell in enumerate(nb.cells):
        for text in _prose(cell):
            for marker in MARKER.finditer(text):
                found.append(_check(marker, text, index, cell.get("id", ""), run, student))
    return found


def _check(marker: re.Match, text: str, index: int, cell_id: str, run: Run,
           student: bool) -> Marked:
    expression = marker["expr"]
    number = read_number(text[:marker.start()])
    shown = number.text if number else ""
    if number is None:
        problem = (f"no number right before the marker <!-- ={expression}--> (write it "
                   f"right after the number: 59<!-- = key -->): "
                   f"...{text[max(marker.start() - 30, 0):marker.start()]!r}")
        return Marked(index + 1, cell_id, "", expression, None, problem)
    if re.match(r"[0-9]", text[marker.end():]):
        return Marked(index + 1, cell_id, shown, expression, None,
                      f"{shown}<!-- ={expression}-->{text[marker.end():marker.end() + 5]}...: "
                      "the marker stands inside a number (after its last digit, please)")
    if student:
        return Marked(index + 1, cell_id, shown, expression, None,
                      f"{shown}: a student version has no outputs to check a number against "
                      "(the number belongs in a solution or an instructor-only cell)")
    try:
        value = evaluate(expression, run)
    except ExpressionError as err:
        return Marked(index + 1, cell_id, shown, expression, None,
                      f"{shown}<!-- ={expression}-->: {err}")
    problem = "" if number.matches(value) else (
        f"the prose says {shown}, the run gives {value:g} ({expression.strip()})")
    return Marked(index + 1, cell_id, shown, expression, value, problem)


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """One line for each marked number of ``nb`` that does not hold."""
    return [m.describe() for m in check_notebook(nb) if m.problem]


def both_editions(root: Path = ROOT) -> list[Path]:
    """Every course notebook, English then Chinese (those that exist)."""
    from tools.i18n import zh_path  # tools.i18n imports this module

    english = course_notebooks(root)
    return english + [zh_path(p) for p in english if zh_path(p).exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="the notebooks to check (default: every course notebook, both "
                             "editions)")
    parser.add_argument("--list", action="store_true", help="list every marked number")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks or both_editions():
        nb = nbformat.read(path, as_version=4)
        marked = check_notebook(nb)
        bad = [m for m in marked if m.problem]
        failed += len(bad)
        rel = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        kind = " (student version)" if is_student_version(path) else ""
        print(f"{rel}{kind}: {len(marked)} marked numbers, {len(bad)} wrong")
        for m in marked if args.list else bad:
            print(f"  {m.describe()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
