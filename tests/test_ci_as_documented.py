"""CI runs what the documents say it runs.

Every passage of README.md, README.zh-CN.md, ARCHITECTURE.md and CONTRIBUTING.md that says what
CI (`.ci/run`) does is listed in CLAIMS with the steps it promises; `.ci/run` must run those
steps, in that order, and stop at the first that fails. A new sentence about CI in one of those
files fails `test_every_mention_of_ci_is_a_listed_claim` until it is listed here, so a promise
cannot be added without being checked; one rephrased fails `test_each_claim_is_still_made`.
"""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest

from tools.paths import ROOT

CI_RUN = ROOT / ".ci" / "run"
DOCUMENTS = ("README.md", "README.zh-CN.md", "ARCHITECTURE.md", "CONTRIBUTING.md")
MENTION = re.compile(r"\bCI\b|\.ci/run")

# A step of CI: a pattern that one command line of .ci/run matches.
STEPS = {
    "CI=true": r'export CI="\$\{CI:-true\}"',
    "make instructor": r"make instructor",
    "make test": r"make test",
    "make test-slow": r"make test-slow",
    # nbval over every notebook (no paths named) under the `scalar` configuration.
    "scalar": r"\.venv/bin/python -m tools\.determinism(?: --(?:config \S+|threads \d+))*",
    "make mutation": r".*\b(?:make mutation|tools\.mutation)\b.*",
}

# (document, what it says, whitespace folded, as a regular expression, the steps it promises in
# their order, the steps it says CI does not run)
CLAIMS: list[tuple[str, str, list[str], list[str]]] = [
    ("README.md", r"CI sets `CI=true`, and there a missing program is a failure instead\.",
     ["CI=true", "make test", "make test-slow"], []),
    ("README.md", r"CI executes every notebook and compares its outputs with the stored ones\.",
     ["make test"], []),
    ("README.md", r"\| `make test-slow` \| [^|]*; CI runs it after `make test` \|",
     ["make test", "make test-slow"], []),
    ("README.md", r"`make test-slow` runs it \(CI runs that after `make test`\); it is skipped "
     r"with its reason when nbgrader is not installed, and a failure in CI \(`\.ci/run` runs "
     r"`make instructor` first\)\.",
     ["CI=true", "make instructor", "make test", "make test-slow"], []),
    ("README.md", r"\| `scalar` \| [^|]* \| the most different; CI runs it after `make test` \|",
     ["make test", "scalar"], []),
    ("README.md", r"`make test` runs them all but the slow tool and browser files, `make "
     r"test-slow` those; `\.ci/run` calls both in a fresh clone:",
     ["make test", "make test-slow"], []),
    ("README.zh-CN.md", r"CI 设置了 `CI=true`，在那里缺少程序就算失败。",
     ["CI=true", "make test", "make test-slow"], []),
    ("README.zh-CN.md", r"CI 会执行每个笔记本，并把输出与保存的输出对比。", ["make test"], []),
    ("README.zh-CN.md", r"\| `make test-slow` \| [^|]*；CI 在 `make test` 之后运行它 \|",
     ["make test", "make test-slow"], []),
    ("ARCHITECTURE.md", r"tools\.determinism \(make determinism, CI\): nbval under four "
     r"emulated CPUs", ["scalar"], []),
    ("ARCHITECTURE.md", r"`\.ci/run` runs `make test`, `make test-slow` and nbval under the "
     r"`scalar` CPU configuration, in a fresh clone\.",
     ["make test", "make test-slow", "scalar"], []),
    ("CONTRIBUTING.md", r"CI \(`\.ci/run`\) runs both in a fresh clone, then nbval under the "
     r"`scalar` CPU configuration\.", ["make test", "make test-slow", "scalar"], []),
    ("CONTRIBUTING.md", r"`make mutation` \(maintainers; not part of `make test` or CI\)",
     [], ["make mutation"]),
    # The audit section names `.ci/run` as a thing to break, not for what it runs.
    ("CONTRIBUTING.md", r"## Breaking things on purpose: .*? and `make lab EDITION=zh` "
     r"\(`tests/test_lab\.py`\)\.", [], []),
]


CLAIM_IDS = [f"{document}#{n}" for n, (document, *_) in enumerate(CLAIMS)]


def folded(document: str) -> str:
    """The document with every run of white space one space (claims span line breaks)."""
    return re.sub(r"\s+", " ", (ROOT / document).read_text(encoding="utf-8"))


def ci_commands() -> list[str]:
    """The command lines of .ci/run, comments and blank lines left out."""
    lines = [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def where(step: str, commands: list[str]) -> int | None:
    """The index of the first command of ``commands`` that is ``step``, or None."""
    return next((i for i, command in enumerate(commands)
                 if re.fullmatch(STEPS[step], command)), None)


@pytest.mark.parametrize(("document", "claim", "steps", "absent"), CLAIMS,
                         ids=CLAIM_IDS)
def test_each_claim_is_still_made(document, claim, steps, absent):
    assert re.search(claim, folded(document)), (
        f"{document} no longer says {claim!r}: update CLAIMS to what it says now")


@pytest.mark.parametrize(("document", "claim", "steps", "absent"), CLAIMS,
                         ids=CLAIM_IDS)
def test_ci_runs_what_each_claim_promises_in_its_order(document, claim, steps, absent):
    commands = ci_commands()
    found = [where(step, commands) for step in steps]
    missing = [step for step, index in zip(steps, found, strict=True) if index is None]
    assert not missing, f"{document} says CI runs {missing}; .ci/run does not: {commands}"
    assert found == sorted(found), (
        f"{document} says CI runs {steps} in this order; .ci/run runs them at lines {found}")
    for step in absent:
        assert where(step, commands) is None, f"{document} says CI does not run {step}"


def test_every_mention_of_ci_is_a_listed_claim():
    """A sentence about CI that CLAIMS does not hold is a promise nobody checks."""
    unlisted = []
    for document in DOCUMENTS:
        text = folded(document)
        spans = [m.span() for d, claim, _, _ in CLAIMS if d == document
                 for m in re.finditer(claim, text)]
        for mention in MENTION.finditer(text):
            if not any(start <= mention.start() < end for start, end in spans):
                around = text[max(mention.start() - 80, 0):mention.end() + 80]
                unlisted.append(f"{document}: ...{around}...")
    assert not unlisted, "say in CLAIMS what these promise:\n" + "\n".join(unlisted)


def test_a_failing_step_fails_ci():
    text = CI_RUN.read_text(encoding="utf-8")
    commands = ci_commands()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert commands[0] == "set -euo pipefail", "the first command must make any failure fatal"
    for command in commands:
        assert not re.search(r"\|\|\s*(true|:)\s*$|;\s*true\s*$|set \+e", command), (
            f".ci/run ignores a failure: {command}")


def test_the_determinism_step_covers_every_notebook():
    """`nbval under the scalar configuration`: all of notebooks/ and solutions/, not a part."""
    commands = ci_commands()
    (command,) = [c for c in commands if "tools.determinism" in c]
    args = shlex.split(command)[3:]
    options = dict(zip(args[::2], args[1::2], strict=True))
    assert set(options) <= {"--config", "--threads"}, f"CI narrows the run: {command}"
    assert options.get("--config") == "scalar"


def test_make_test_is_what_executes_every_notebook():
    """CI's `make test` is where nbval executes every notebook: pytest's test paths hold both
    notebook folders, and the slow files that `make test` leaves out are tool tests only."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    paths = config["tool"]["pytest"]["ini_options"]["testpaths"]
    assert {"notebooks", "solutions"} <= set(paths)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    slow = re.search(r"^SLOW_TESTS := (.*)$", makefile, re.M).group(1).split()
    assert slow and all(p.startswith("tests/test_") and p.endswith(".py") for p in slow)
    assert re.search(r"^test: install\n\t\$\(PY\) -m pytest \$\(addprefix --ignore=,"
                     r"\$\(SLOW_TESTS\)\)$", makefile, re.M)
    assert re.search(r"^test-slow: install\n\t\$\(PY\) -m pytest \$\(SLOW_TESTS\)$", makefile,
                     re.M)
