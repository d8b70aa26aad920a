"""The course kernel and how a notebook is executed: shared by `make run`, `make refresh`, the
benchmarks and `make lab`. ``python -m tools.notebooks install-kernel`` registers the kernel
(`make install` runs it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

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


def install_kernel(python: str = sys.executable, prefix: str | None = None) -> None:
    """Register ``python`` as the course's kernel inside its environment (``--sys-prefix``), or
    under ``prefix``: what `make install` and `python -m tools.lab` do."""
    where = ["--sys-prefix"] if prefix is None else ["--prefix", prefix]
    subprocess.run([python, "-m", "ipykernel", "install", *where, "--name", KERNEL,
                    "--display-name", KERNELSPEC["display_name"]],
                   check=True, capture_output=True)


if __name__ == "__main__":  # `python -m tools.notebooks install-kernel` (make install)
    if sys.argv[1:] != ["install-kernel"]:
        sys.exit("usage: python -m tools.notebooks install-kernel")
    install_kernel()
