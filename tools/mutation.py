"""Mutation testing of course_utils and the tools (`make mutation`): do the tests catch a break?

mutmut (requirements/mutation.txt) changes the code one small step at a time (a ``<`` becomes
``<=``, a string another string, a ``return x`` ``return None``, ...) and runs the tests that
cover the changed function. A change that makes a test fail is *killed*; one that every test
still passes *survived*: a break the tests would miss, or an *equivalent* mutant, a change with
no observable difference, listed with its reason in tools/mutation_equivalent.txt.

What is mutated, what is left out and which tests run: ``[tool.mutmut]`` in pyproject.toml.
The run happens in a copy of the course, build/mutation/work/ (mutmut writes its mutants next to
the code it mutates), from scratch each time. Then this prints the score per module,

    score = killed / (mutants - equivalent)

(a timeout or a crash of the tests counts as killed), and writes every surviving mutant with its
diff to build/mutation/survivors.txt. It exits 1 when a module misses its target (TARGETS).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tools.paths import ROOT

OUT = ROOT / "build" / "mutation"
EQUIVALENT_FILE = ROOT / "tools" / "mutation_equivalent.txt"

# Not copied into the work folder: environments, outputs, caches, a student's own copy.
SKIP_NAMES = {".venv", "build", "node_modules", ".git", "my-notebooks", "mutants", "__pycache__",
              ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints"}

# mutmut's exit codes of a mutant's test run (mutmut/stats.py), as this report counts them.
KILLED_CODES = {1, 3, 36, 24, -24, 152, 255, -11, -9, 37}  # failed, timed out, crashed
SURVIVED_CODES = {0}  # every test passed
NO_TESTS_CODES = {5, 33}  # no test covers the function: survived too
SKIPPED_CODES = {34}

# Minimum score per module (a prefix of the module name), and over the whole scope ("*").
TARGETS: dict[str, float] = {
    "course_utils.params": 0.90,
    "course_utils.text": 0.90,
    "course_utils.homework04": 0.90,
    "tools.student": 0.90,
    "*": 0.80,
}


@dataclass
class Counts:
    """Mutants of one module by outcome."""

    killed: int = 0
    survived: int = 0
    equivalent: int = 0  # survived, and listed in the equivalents file
    skipped: int = 0
    not_run: int = 0  # no result: the run stopped early

    @property
    def total(self) -> int:
        return self.killed + self.survived + self.equivalent + self.skipped + self.not_run

    @property
    def score(self) -> float | None:
        """Killed / (mutants that can be killed); None when there are none."""
        relevant = self.killed + self.survived + self.not_run
        return self.killed / relevant if relevant else None

    def add(self, other: Counts) -> None:
        for name in ("killed", "survived", "equivalent", "skipped", "not_run"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Results:
    """Every mutant's outcome: counts per module, the surviving mutants' names per module."""

    counts: dict[str, Counts] = field(default_factory=dict)
    survivors: dict[str, list[str]] = field(default_factory=dict)
    equivalent: dict[str, list[str]] = field(default_factory=dict)

    def total(self) -> Counts:
        all_counts = Counts()
        for counts in self.counts.values():
            all_counts.add(counts)
        return all_counts


def module_name(path: str) -> str:
    """'course_utils/homework04/task3.py' -> 'course_utils.homework04.task3'."""
    name = path.removesuffix(".py").replace("\\", "/").replace("/", ".")
    return name.removesuffix(".__init__")


def classify(exit_code: int | None) -> str:
    """A mutant's outcome from the exit code of its test run: killed, survived, skipped or
    not_run (anything mutmut calls suspicious counts as survived: no test failed)."""
    if exit_code is None:
        return "not_run"
    if exit_code in KILLED_CODES:
        return "killed"
    if exit_code in SKIPPED_CODES:
        return "skipped"
    return "survived"  # 0, no tests (5, 33), suspicious


def tally(exit_codes_by_module: Mapping[str, Mapping[str, int | None]],
          equivalent: Iterable[str] = ()) -> Results:
    """Counts per module from each mutant's exit code (module -> mutant name -> exit code).
    A survivor named in ``equivalent`` counts as equivalent, not as survived."""
    equivalent = set(equivalent)
    results = Results()
    for module in sorted(exit_codes_by_module):
        counts = results.counts.setdefault(module, Counts())
        for name, code in sorted(exit_codes_by_module[module].items()):
            outcome = classify(code)
            if outcome == "survived" and name in equivalent:
                counts.equivalent += 1
                results.equivalent.setdefault(module, []).append(name)
            else:
                setattr(counts, outcome, getattr(counts, outcome) + 1)
                if outcome == "survived":
                    results.survivors.setdefault(module, []).append(name)
    return results


def read_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """Mutant name -> why it is equivalent, from lines ``name: reason`` (``#`` starts a comment
    line). A line without a reason is an error: each equivalent mutant needs one."""
    reasons: dict[str, str] = {}
    if not path.exists():
        return reasons
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(":")
        if not reason.strip():
            raise ValueError(f"{path.name}:{number}: no reason given for {name.strip()!r}")
        reasons[name.strip()] = reason.strip()
    return reasons


def target_of(module: str) -> float | None:
    """The target of a module: that of the longest prefix in TARGETS (not "*"), if any."""
    prefixes = [p for p in TARGETS if p != "*" and (module == p or module.startswith(p + "."))]
    return TARGETS[max(prefixes, key=len)] if prefixes else None


def _percent(score: float | None) -> str:
    return "   -" if score is None else f"{100 * score:3.0f}%"


def report(results: Results) -> tuple[list[str], list[str]]:
    """The score table (lines) and the targets missed (one line each; empty: all met)."""
    width = max([len("whole scope"), *map(len, results.counts)])
    lines = [f"{'module':<{width}}  mutants  killed  survived  equivalent  score  target"]
    missed = []
    groups: dict[str, Counts] = {}
    for module, counts in results.counts.items():
        target = target_of(module)
        for prefix in TARGETS:
            if prefix != "*" and (module == prefix or module.startswith(prefix + ".")):
                groups.setdefault(prefix, Counts()).add(counts)
        mark = "" if target is None else f"{100 * target:.0f}%"
        lines.append(f"{module:<{width}}  {counts.total:7d}  {counts.killed:6d}  "
                     f"{counts.survived:8d}  {counts.equivalent:10d}  {_percent(counts.score)}"
                     f"  {mark}")
    total = results.total()
    lines.append(f"{'whole scope':<{width}}  {total.total:7d}  {total.killed:6d}  "
                 f"{total.survived:8d}  {total.equivalent:10d}  {_percent(total.score)}"
                 f"  {100 * TARGETS['*']:.0f}%")
    checks = [(prefix, groups.get(prefix)) for prefix in TARGETS if prefix != "*"]
    checks.append(("whole scope", total))
    for name, counts in checks:
        target = TARGETS.get(name, TARGETS["*"])
        if counts is None or counts.total == 0:
            missed.append(f"{name}: no mutants found (is it still in the scope?)")
        elif counts.not_run:
            missed.append(f"{name}: {counts.not_run} mutant(s) not run")
        elif counts.score is not None and counts.score < target:
            missed.append(f"{name}: {100 * counts.score:.1f}% < {100 * target:.0f}%")
    return lines, missed


def survivors_text(results: Results, diffs: Mapping[str, str], reasons: Mapping[str, str],
                   stale: Iterable[str] = ()) -> str:
    """build/mutation/survivors.txt: each surviving mutant's name and diff, by module, then the
    equivalent ones with their reasons, then listed names that no longer survive."""
    parts = ["Surviving mutants: the tests pass with each of these changes. Kill one with a test",
             "of the behaviour it breaks, or, if no test can tell it from the code (equivalent),",
             "add 'name: reason' to tools/mutation_equivalent.txt.", ""]
    for module, names in results.survivors.items():
        parts.append(f"== {module}: {len(names)} surviving")
        for name in names:
            parts += [f"-- {name}", diffs.get(name, "(no diff)"), ""]
    if not results.survivors:
        parts += ["(none)", ""]
    parts.append("== Equivalent mutants (tools/mutation_equivalent.txt)")
    for names in results.equivalent.values():
        parts += [f"{name}: {reasons.get(name, '')}" for name in names]
    stale = sorted(stale)
    if stale:
        parts += ["", "== Listed as equivalent but not surviving (killed, or the code moved):"]
        parts += stale
    return "\n".join(parts) + "\n"


def copy_course(dest: Path, root: Path = ROOT) -> None:
    """A fresh copy of the course in ``dest`` (without environments, outputs and caches)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root, dest, ignore=lambda folder, names: [
        n for n in names if n in SKIP_NAMES or n.endswith(".egg-info")])


def read_exit_codes(work: Path) -> dict[str, dict[str, int | None]]:
    """module -> mutant name -> exit code, from mutmut's .meta files under work/mutants/."""
    codes: dict[str, dict[str, int | None]] = {}
    mutants = work / "mutants"
    for meta in sorted(mutants.rglob("*.py.meta")):
        path = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        data = json.loads(meta.read_text(encoding="utf-8"))
        if data.get("exit_code_by_key"):
            codes[module_name(path)] = data["exit_code_by_key"]
    return codes


def read_diffs(work: Path, names: Iterable[str]) -> dict[str, str]:
    """Each mutant's diff, as `mutmut show` prints it (needs mutmut, run in ``work``)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diffs = {}
    here = Path.cwd()
    os.chdir(work)
    try:
        for name in names:
            try:
                diffs[name] = get_diff_for_mutant(name)
            except Exception as err:  # a diff is a help for the reader, never a reason to stop
                diffs[name] = f"(no diff: {err})"
    finally:
        os.chdir(here)
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="mutants tested at once (default: the number of CPUs)")
    parser.add_argument("--report-only", action="store_true",
                        help="no new run: the report of the last run in build/mutation/work/")
    parser.add_argument("--only", action="append", metavar="MODULE",
                        help="only the mutants of this module or package, e.g. "
                             "course_utils.params (repeatable; `make mutation "
                             "ONLY=course_utils.params`): a quick loop while you add tests")
    args = parser.parse_args(argv)
    work = OUT / "work"
    started = time.monotonic()
    if not args.report_only:
        print(f"Copying the course into {work.relative_to(ROOT)} ...", flush=True)
        copy_course(work)
        command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.jobs),
                   *(f"{module}.*" for module in args.only or [])]
        log = OUT / "mutmut.log"
        print(f"mutmut run, {args.jobs} at a time (progress: {log.relative_to(ROOT)}) ...",
              flush=True)
        with log.open("w", encoding="utf-8") as stream:
            returncode = subprocess.run(command, cwd=work, stdout=stream,
                                        stderr=subprocess.STDOUT).returncode
        if returncode != 0:
            print(log.read_text(encoding="utf-8")[-3000:])
            print(f"mutmut failed (exit {returncode}); its output: {log.relative_to(ROOT)}")
            return 2
    reasons = read_equivalent(EQUIVALENT_FILE)
    codes = read_exit_codes(work)
    if not codes:
        print("No mutmut results in build/mutation/work/: run `make mutation` first.")
        return 2
    if args.only:
        codes = {module: codes[module] for module in codes
                 if any(module == m or module.startswith(m + ".") for m in args.only)}
        if not codes:
            print(f"No mutants in {args.only}: name modules as course_utils.params.")
            return 2
    results = tally(codes, reasons)
    listed_and_run = {name for names in results.equivalent.values() for name in names}
    stale = {name for name in set(reasons) - listed_and_run
             if not args.only or any(name.startswith(m + ".") for m in args.only)}
    names = [n for ns in results.survivors.values() for n in ns]
    survivors = OUT / "survivors.txt"
    survivors.write_text(survivors_text(results, read_diffs(work, names), reasons, stale),
                         encoding="utf-8")
    lines, missed = report(results)
    print("\n".join(lines))
    print(f"\n{sum(map(len, results.survivors.values()))} surviving mutant(s) with their diffs: "
          f"{survivors.relative_to(ROOT)}")
    if stale:
        print(f"{len(stale)} name(s) in {EQUIVALENT_FILE.name} no longer survive: see the end of "
              "survivors.txt")
    if not args.report_only:
        print(f"{time.monotonic() - started:.0f} s")
    if args.only:  # a part of the scope: the targets of the whole do not apply
        missed = [line for line in missed if line.split(":")[0] in args.only]
    for line in missed:
        print(f"TARGET MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
