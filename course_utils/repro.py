"""Reproducibility: one seed for everything, deterministic kernels, device choice."""

from __future__ import annotations

import platform
import random

import numpy as np
import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda")


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's random generators (CPU and CUDA) from ``seed``."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} ({seed!r}).")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}.")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def set_deterministic() -> None:
    """Ask PyTorch for deterministic kernels, warning (not failing) where one has none."""
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.benchmark = False


def choose_device(name: str = "auto") -> torch.device:
    """Return the device to train on: ``"auto"`` (CUDA when present, else CPU), ``"cpu"``,
    ``"cuda"``."""
    if not isinstance(name, str) or name not in DEVICE_CHOICES:
        raise ValueError(
            f"device must be one of {list(DEVICE_CHOICES)}, got {name!r}. "
            'Use "auto" to take the GPU when there is one.'
        )
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
