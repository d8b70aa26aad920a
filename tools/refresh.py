"""`make refresh`: re-execute the notebooks in place so that their stored outputs are fresh.

This is the only command that writes into notebooks/ and solutions/. It refuses to overwrite a
notebook with uncommitted changes (someone's work) unless --force (FORCE=1) is given.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from tools.notebooks import KERNELSPEC, notebook_client
from tools.paths import ROOT, is_student_version, parse_notebook_arguments


def uncommitted(paths: list[Path], root: Path = ROOT) -> list[Path]:
    """The paths among ``paths`` that git reports as modified or untracked."""
    if not (root / ".git").exists():
        return []
    rel = [str(p.relative_to(root)) for p in paths]
    out = subprocess.run(
        ["git", "status", "--porcelain", "--", *rel],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout
    changed = {line[3:].strip() for line in out.splitlines() if line.strip()}
    return [p for p, r in zip(paths, rel, strict=True) if r in changed]


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive stdout (or stderr) outputs: how the kernel splits a stream depends on
    timing, and a stored notebook should not."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.output_type == "stream" and prev is not None
                and prev.output_type == "stream" and prev.name == out.name):
            prev.text += out.text
        else:
            merged.append(out)
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="overwrite uncommitted changes")
    args, root, notebooks = parse_notebook_arguments(parser)
    dirty = [] if args.force else uncommitted(notebooks, root)
    if dirty:
        names = "\n  ".join(str(p.relative_to(root)) for p in dirty)
        print(
            f"refusing to overwrite notebooks with uncommitted changes:\n  {names}\n"
            "Commit or stash them first, or run `make refresh FORCE=1` to overwrite them.",
            file=sys.stderr,
        )
        return 1
    for path in notebooks:
        if is_student_version(path):  # stored unexecuted; `make student` makes it
            print(f"skipped           {path.relative_to(root)}  (student version)", flush=True)
            continue
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        notebook_client(nb, path, record_timing=False).execute()
        nb.metadata.pop("widgets", None)
        nb.metadata.kernelspec = dict(KERNELSPEC)  # as JupyterLab would save it in the course
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = coalesce_streams(cell.outputs)
        nbformat.write(nb, path)
        print(f"refreshed {time.perf_counter() - start:6.1f} s  {path.relative_to(root)}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
