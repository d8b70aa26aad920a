"""Finding and executing the course notebooks; shared by `make run` and `make refresh`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = ("notebooks", "solutions")
KERNEL = "python3"
# The kernel the course installs into its environment, as every stored notebook names it, so
# that opening and saving a notebook in JupyterLab changes nothing.
KERNELSPEC = {"name": KERNEL, "display_name": "Python 3 (RNN course)", "language": "python"}
CELL_TIMEOUT_S = 600


def ipc_available() -> bool:
    """Whether this system has Unix domain sockets for ZeroMQ's IPC transport (Windows does
    not: there the kernels use TCP on 127.0.0.1)."""
    return hasattr(socket, "AF_UNIX") and os.name != "nt"


def kernel_config():
    """Kernel settings for executing the course: local IPC sockets instead of TCP where the
    system has them, which also spares every run ipykernel's warning about unencrypted TCP."""
    from traitlets.config import Config

    config = Config()
    if not ipc_available():
        return config  # jupyter_client's default: TCP on 127.0.0.1
    config.KernelManager.transport = "ipc"
    # An absolute socket path: the kernel runs in the notebook's folder, this process may not,
    # and a relative path would name two different places. The pid keeps runs apart.
    socket_prefix = f"rnn-course-kernel-{os.getpid()}"
    config.KernelManager.ip = os.path.join(tempfile.gettempdir(), socket_prefix)
    return config


def notebook_client(nb, path: Path, **options):
    """An nbclient ``NotebookClient`` that runs ``nb`` (read from ``path``) the course's way: a
    fresh course kernel started in the notebook's folder, over IPC, with the course's cell
    timeout. ``options`` go to ``NotebookClient`` (e.g. ``record_timing=False``)."""
    from nbclient import NotebookClient

    return NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S, config=kernel_config(),
                          resources={"metadata": {"path": str(path.parent)}}, **options)


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook of the course, lessons first, in the order of their numbers."""
    found: list[Path] = []
    for folder in NOTEBOOK_DIRS:
        found += sorted(p for p in (root / folder).glob("*.ipynb"))
    return found


def select_notebooks(names: list[str], root: Path = ROOT) -> list[Path]:
    """The course notebooks that ``names`` ask for (all of them when ``names`` is empty).

    A name is a file name (``01_rnncell_onehot.ipynb``; the homework's name picks both its
    student version and its solution) or a path from the repository root
    (``notebooks/01_rnncell_onehot.ipynb``). An unknown name stops with a message that lists
    the names there are, instead of silently doing nothing."""
    notebooks = course_notebooks(root)
    if not names:
        return notebooks
    by_path = {str(p.relative_to(root)): p for p in notebooks}
    chosen: list[Path] = []
    unknown = []
    for name in names:
        key = name.removeprefix("./")
        matches = [by_path[key]] if key in by_path else [p for p in notebooks if p.name == key]
        if not matches:
            unknown.append(name)
        chosen += [p for p in matches if p not in chosen]
    if unknown:
        known = "\n  ".join(by_path)
        raise SystemExit(
            f"no course notebook is called {', '.join(unknown)}. Give file names or paths from "
            f"the repository root, e.g. NOTEBOOKS=\"01_rnncell_onehot.ipynb\". The notebooks:\n"
            f"  {known}"
        )
    return [p for p in notebooks if p in chosen]  # in course order


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


def install_kernel(python: str = sys.executable, prefix: str | None = None) -> None:
    """Register ``python`` as the course's kernel inside its environment (``--sys-prefix``), or
    under ``prefix``: what `make install` and `scripts/lab.py` do."""
    where = ["--sys-prefix"] if prefix is None else ["--prefix", prefix]
    subprocess.run([python, "-m", "ipykernel", "install", *where, "--name", KERNEL,
                    "--display-name", KERNELSPEC["display_name"]],
                   check=True, capture_output=True)


if __name__ == "__main__":  # `python scripts/notebook_tools.py install-kernel` (make install)
    if sys.argv[1:] != ["install-kernel"]:
        sys.exit("usage: python scripts/notebook_tools.py install-kernel")
    install_kernel()
