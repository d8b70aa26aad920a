"""Reproducibility: one seed for everything, the CPU threads, the device."""

from __future__ import annotations

import platform
import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch

from course_utils.params import DEVICE_CHOICES, is_int


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's random generators (CPU and CUDA) from ``seed``
    (an int >= 0; a notebook's ``seed`` parameter is checked by ``check_parameters``)."""
    assert is_int(seed, low=0), f"seed must be an int >= 0, got {seed!r}."
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@contextmanager
def cpu_threads(num_threads: int | None = 1) -> Iterator[None]:
    """Run the block with ``num_threads`` CPU threads (None: leave as is), then restore the
    setting.

    The course's models are tiny: a second thread only adds synchronisation, and on a busy
    machine the threads' spin-waiting made a seed sweep 10-20x slower (measured on the course's
    2-core VM). The sweeps and the homework's checks train inside this; a notebook may call
    ``torch.set_num_threads(1)`` itself, where students see it.
    """
    assert num_threads is None or is_int(num_threads, low=1), (
        f"num_threads must be None or at least 1, got {num_threads!r}."
    )
    before = torch.get_num_threads()
    if num_threads is not None:
        torch.set_num_threads(num_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def choose_device(name: str = "auto") -> torch.device:
    """Return the device to train on: ``"auto"`` (CUDA when present, else CPU), ``"cpu"``,
    ``"cuda"``."""
    assert name in DEVICE_CHOICES, f"device must be one of {list(DEVICE_CHOICES)}, got {name!r}."
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            'device="cuda" was asked for, but PyTorch sees no CUDA GPU here '
            f"(torch {torch.__version__}). Use \"auto\" or \"cpu\", or install a CUDA build of "
            "torch (README, 'Using a GPU')."
        )
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def environment_report(device: torch.device | str | None = None) -> str:
    """One line saying which Python, torch and device run this notebook."""
    device = choose_device("auto") if device is None else torch.device(device)
    where = str(device)
    if device.type == "cuda":
        where += f" ({torch.cuda.get_device_name(device)})"
    threads = torch.get_num_threads()
    return (
        f"Python {platform.python_version()}, torch {torch.__version__}, "
        f"device {where}, {threads} CPU thread{'' if threads == 1 else 's'}"
    )
