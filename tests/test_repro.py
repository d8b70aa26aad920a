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


def test_seed_zero_is_allowed_and_large_seeds_seed_numpy_too():
    seed_everything(0)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    seed_everything(0)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first
    seed_everything(2**32 + 5)  # NumPy takes seeds below 2**32: the same stream as seed 5
    big = np.random.rand()
    seed_everything(5)
    assert np.random.rand() == big
    seed_everything(2**33 + 5)
    assert np.random.rand() == big
    seed_everything(7)
    assert np.random.rand() != big  # another seed, another stream


def test_environment_report_names_the_device_it_is_given(monkeypatch):
    assert ", device cpu, " in environment_report("cpu")
    assert ", device cpu, " in environment_report(torch.device("cpu"))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert ", device cpu, " in environment_report()  # auto, without a GPU
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device: "Fake GPU")
    assert ", device cuda (Fake GPU), " in environment_report("cuda")
    assert ", device cuda:0 (Fake GPU), " in environment_report("cuda:0")
