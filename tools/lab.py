"""`make lab`: the student's own copy of the course, and JupyterLab on it.

The course's notebooks (notebooks/) belong to the course: `git pull` updates them. A student
works in a copy, my-notebooks/, which git ignores, so that an update never conflicts with their
work and never overwrites it:

- the first run copies every lesson of notebooks/ into my-notebooks/ (solutions/ never);
- later runs copy only lessons that are new (or that the student deleted: a fresh start), and
  say, one line each, which lessons the course has changed since the student's copy was made;
- ``--reset 01`` (``make reset LESSON=01``) takes the course's current version of a lesson and
  keeps the student's as a dated backup in my-notebooks/backups/.

What "changed" means: the code and text of the cells, not their stored outputs (re-running a
notebook in the course does not make it a new version).

    python -m tools.lab                 # update my-notebooks/, then open JupyterLab on it
    python -m tools.lab --sync-only     # only update my-notebooks/ and report
    python -m tools.lab --reset 01      # the course's version of lesson 01, yours backed up
    python -m tools.lab --edition zh    # the Chinese edition: notebooks/zh/ -> my-notebooks/zh/
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tools.notebooks import install_kernel
from tools.paths import NOTEBOOKS_DIR, ROOT

MY_DIR = "my-notebooks"
MANIFEST = ".course-versions.json"  # lesson file name -> version of the course it was copied from
BACKUPS = "backups"


def lesson_version(path: Path) -> str:
    """A fingerprint of a notebook's cells (type and source), blind to outputs and metadata."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    content = [(c.get("cell_type"), "".join(c.get("source", ""))) for c in cells]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:16]


@dataclass
class Report:
    """What one update of my-notebooks/ did and found."""

    copied: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # deleted by the student, copied again
    changed: list[str] = field(default_factory=list)
    first_time: bool = False
    folder: str = MY_DIR  # as the student sees it: my-notebooks, or my-notebooks/zh

    def lines(self, reset_hint: str) -> list[str]:
        out = []
        if self.first_time:
            out.append(f"Your copy of the course: {self.folder}/ ({len(self.copied)} lessons). "
                       "It is yours: course updates never overwrite it.")
        else:
            out += [f"new lesson copied: {self.folder}/{name}" for name in self.copied]
        out += [f"copied again, as the course has it now (yours had been deleted): "
                f"{self.folder}/{name}" for name in self.restored]
        for name in self.changed:
            out.append(f"{name}: the course has a newer version; yours is kept. "
                       f"To take the new one: {reset_hint.format(lesson=name[:2])} "
                       f"(yours is saved in {self.folder}/{BACKUPS}/)")
        return out


class Workspace:
    """my-notebooks/ next to the course's notebooks/."""

    def __init__(self, root: Path = ROOT, edition: str | None = None) -> None:
        # An edition (the Chinese one: "zh") is a folder of notebooks/ and of my-notebooks/.
        self.course = root / NOTEBOOKS_DIR.name / (edition or "")
        self.mine = root / MY_DIR / (edition or "")
        self.folder = "/".join([MY_DIR, *([edition] if edition else [])])
        self.manifest_path = self.mine / MANIFEST

    def lessons(self) -> list[Path]:
        return sorted(self.course.glob("*.ipynb"))

    def _manifest(self) -> dict[str, str]:
        if not self.manifest_path.is_file():
            return {}
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def _save_manifest(self, manifest: dict[str, str]) -> None:
        self.manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")

    def sync(self) -> Report:
        """Copy what is new, keep everything that is there, report what the course changed."""
        if not self.lessons():
            raise SystemExit(f"{self.course} has no notebooks: is this the course's folder?")
        # First time for this edition: no manifest and no lesson of its own yet (the English
        # folder exists already when the Chinese edition, my-notebooks/zh/, came first).
        first_time = not self.manifest_path.is_file() and not any(self.mine.glob("*.ipynb"))
        report = Report(first_time=first_time, folder=self.folder)
        self.mine.mkdir(parents=True, exist_ok=True)
        manifest = self._manifest()
        for lesson in self.lessons():
            mine, version = self.mine / lesson.name, lesson_version(lesson)
            if not mine.exists():
                shutil.copy2(lesson, mine)
                was_copied_before = lesson.name in manifest
                manifest[lesson.name] = version
                (report.restored if was_copied_before else report.copied).append(lesson.name)
            elif manifest.get(lesson.name) != version:
                report.changed.append(lesson.name)
        self._save_manifest(manifest)
        return report

    def find(self, lesson: str) -> Path:
        """The course lesson that ``lesson`` names: its number ("01", "1") or file name."""
        key = lesson.removesuffix(".ipynb")
        key = key.zfill(2) if key.isdigit() else key
        found = [p for p in self.lessons() if p.stem == key or p.name.split("_")[0] == key]
        if len(found) != 1:
            names = ", ".join(p.name for p in self.lessons())
            raise SystemExit(f"no single lesson is called {lesson!r}. Give its number "
                             f"(e.g. LESSON=01) or its file name. The lessons: {names}")
        return found[0]

    def reset(self, lesson: str, now: datetime | None = None) -> tuple[Path, Path | None]:
        """The course's current version of ``lesson`` into my-notebooks/; the student's copy,
        if any, moves to my-notebooks/backups/ with the date and time in its name."""
        source = self.find(lesson)
        self.mine.mkdir(parents=True, exist_ok=True)
        mine, backup = self.mine / source.name, None
        if mine.exists():
            stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
            backup = self.mine / BACKUPS / f"{source.stem}.{stamp}.ipynb"
            backup.parent.mkdir(exist_ok=True)
            if backup.exists():
                raise SystemExit(f"{backup} exists already: wait a second and try again.")
            shutil.move(mine, backup)
        shutil.copy2(source, mine)
        manifest = self._manifest()
        manifest[source.name] = lesson_version(source)
        self._save_manifest(manifest)
        return mine, backup


def open_lab(folder: Path, port: int, first: str | None) -> int:
    command = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={folder}",
               f"--port={port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and class servers run as root
    if first:
        command.append(first)
    # make exports TQDM_DISABLE for the tests and `make run`; a student's lab shows the
    # progress bars the lessons talk about.
    env = {k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"}
    return subprocess.call(command, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", metavar="LESSON",
                        help="take the course's version of LESSON (e.g. 01); yours is backed up")
    parser.add_argument("--sync-only", action="store_true",
                        help="update my-notebooks/ and report, without starting JupyterLab")
    parser.add_argument("--port", type=int, default=8888, help="JupyterLab's port")
    parser.add_argument("--edition", choices=["en", "zh"], default="en",
                        help="zh: the Chinese edition (notebooks/zh/ -> my-notebooks/zh/)")
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)  # called by make
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # tests
    args = parser.parse_args(argv)
    edition = None if args.edition == "en" else args.edition
    workspace = Workspace(args.root.resolve(), edition)
    if args.make:
        hint = "make reset LESSON={lesson}" + (f" EDITION={edition}" if edition else "")
    else:
        hint = "python -m tools.lab --reset {lesson}" + (f" --edition {edition}" if edition else "")
    if args.reset:
        mine, backup = workspace.reset(args.reset)
        where = mine.relative_to(args.root.resolve())
        print(f"{where}: the course's current version.")
        if backup is not None:
            print(f"Yours is saved as {backup.relative_to(args.root.resolve())}")
        return 0
    for line in workspace.sync().lines(hint):
        print(line)
    if args.sync_only:
        return 0
    install_kernel()  # the route without make has not registered the course's kernel yet
    # JupyterLab opens a file given by its path from here (not from --notebook-dir).
    first = next((str(p) for p in sorted(workspace.mine.glob("01_*.ipynb"))), None)
    return open_lab(workspace.mine, args.port, first)


if __name__ == "__main__":
    sys.exit(main())
