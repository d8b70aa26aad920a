"""Finding and executing the course notebooks; shared by `make run` and `make refresh`."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = ("notebooks", "solutions")
KERNEL = "python3"
CELL_TIMEOUT_S = 600


def kernel_config():
    """Kernel settings for executing the course: local IPC sockets instead of TCP, which also
    spares every run ipykernel's warning about unencrypted TCP."""
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    # An absolute socket path: the kernel runs in the notebook's folder, this process may not,
    # and a relative path would name two different places. The pid keeps runs apart.
    socket_prefix = f"rnn-course-kernel-{os.getpid()}"
    config.KernelManager.ip = os.path.join(tempfile.gettempdir(), socket_prefix)
    return config


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook of the course, lessons first, in the order of their numbers."""
    found: list[Path] = []
    for folder in NOTEBOOK_DIRS:
        found += sorted(p for p in (root / folder).glob("*.ipynb"))
    return found


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
