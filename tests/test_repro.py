import random

import numpy as np
import pytest
import torch

from course_utils.repro import (
    choose_device,
    cpu_threads,
    environment_report,
    seed_everything,
)


def test_seed_everything_repeats_every_generator():
    seed_everything(3)
    first = (random.random(), np.random.rand(), torch.rand(2).tolist())
    seed_everything(3)
    assert (random.random(), np.random.rand(), torch.rand(2).tolist()) == first


@pytest.mark.parametrize("bad", [-1, "0", 1.5, True])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises(AssertionError, match="seed"):
        seed_everything(bad)


def test_cpu_threads_sets_and_restores_the_threads():
    before = torch.get_num_threads()
    with cpu_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with cpu_threads(None):
        assert torch.get_num_threads() == before
    with pytest.raises(AssertionError, match="num_threads must be None or at least 1"):
        with cpu_threads(0):
            pass
    assert torch.get_num_threads() == before


def test_choose_device():
    assert choose_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert choose_device("auto").type == expected


@pytest.mark.parametrize("bad", ["gpu", "CUDA", "", None, 0])
def test_choose_device_rejects_unknown_names(bad):
    with pytest.raises(AssertionError, match=r"device must be one of \['auto', 'cpu', 'cuda'\]"):
        choose_device(bad)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_asking_for_cuda_without_a_gpu_says_so():
    with pytest.raises(ValueError, match="sees no CUDA GPU"):
        choose_device("cuda")


def test_environment_report_is_one_line():
    report = environment_report("cpu")
    assert "\n" not in report
    assert f"torch {torch.__version__}" in report and "device cpu" in report


def test_environment_report_counts_threads_in_plain_english():
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert environment_report("cpu").endswith(", 1 CPU thread")
        torch.set_num_threads(2)
        assert environment_report("cpu").endswith(", 2 CPU threads")
    finally:
        torch.set_num_threads(before)
