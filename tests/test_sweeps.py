import pytest
import torch

from course_utils.models import CharModel, lecture_embedding_model, lecture_onehot_rnn
from course_utils.sweeps import SweepResult, sweep_batched, sweep_sequential
from course_utils.text import make_pair

PAIR = make_pair("hello", "ohlol")
# Batched and sequential runs use different kernels (bmm vs. MKL/oneDNN), so losses agree
# to float32 rounding, not bit for bit. Measured: at most 4e-7 after 30 epochs.
LOSS_TOL = 1e-5


def assert_same_sweep(a: SweepResult, b: SweepResult) -> None:
    assert a.seeds == b.seeds and a.epochs == b.epochs and a.target == b.target
    assert a.predictions == b.predictions
    assert a.converged_epochs == b.converged_epochs
    assert a.converged() == b.converged()
    for la, lb in zip(a.losses, b.losses, strict=True):
        assert la == pytest.approx(lb, abs=LOSS_TOL)


@pytest.mark.parametrize(
    "config",
    [
        {"cell": "rnn"},
        {"cell": "lstm"},
        {"cell": "gru"},
        {"cell": "lstm", "embedding_size": None, "hidden_size": 4, "num_layers": 3, "head": False},
        {"cell": "gru", "embedding_size": 3, "hidden_size": 5, "num_layers": 1},
    ],
    ids=["rnn", "lstm", "gru", "lstm-onehot-nohead-3layers", "gru-1layer"],
)
def test_batched_equals_sequential(config):
    def make():
        return CharModel(len(PAIR.vocab), **config)

    seeds = [0, 3, 5]
    a = sweep_sequential(make, PAIR, seeds, epochs=12, lr=0.05)
    b = sweep_batched(make, PAIR, seeds, epochs=12, lr=0.05)
    assert_same_sweep(a, b)
    assert_same_sweep(a, sweep_batched(config, PAIR, seeds, epochs=12, lr=0.05))


def test_batched_equals_sequential_for_the_lecture_onehot_model_with_summed_loss():
    def make():
        return lecture_onehot_rnn(4)

    a = sweep_sequential(make, PAIR, 4, epochs=15, lr=0.1, reduction="sum")
    b = sweep_batched(make, PAIR, 4, epochs=15, lr=0.1, reduction="sum")
    assert_same_sweep(a, b)


def test_sequential_sweep_is_fit_after_manual_seed_and_leaves_the_generator_alone():
    from course_utils.training import fit

    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    result = sweep_sequential(lambda: lecture_embedding_model(4), PAIR, [2], epochs=5, lr=0.05)
    assert torch.equal(torch.rand(1), expected_next)
    torch.manual_seed(2)
    history = fit(lecture_embedding_model(4), PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab,
                  epochs=5, lr=0.05, verbose=False)
    assert result.losses == [history.losses]
    assert result.predictions == [history.predictions]


def test_budgets_mean_what_a_shorter_run_would_say():
    def make():
        return lecture_onehot_rnn(4)

    long = sweep_batched(make, PAIR, 12, epochs=20, lr=0.05)
    for budget in (5, 10, 15):
        short = sweep_batched(make, PAIR, 12, epochs=budget, lr=0.05)
        assert long.converged_epochs_at(budget) == short.converged_epochs
        assert long.converged_by_budget([budget])[budget] == short.converged()
    assert long.converged_by_budget(20) == {20: long.converged()}


def test_result_counts():
    result = SweepResult(
        seeds=[0, 1, 2],
        epochs=4,
        target="ab",
        losses=[[1.0, 0.5, 0.2, 0.1], [1.0, 0.9, 0.8, 0.7], [1.0, 0.6, 0.5, 0.3]],
        predictions=[["bb", "ab", "ab", "ab"], ["bb", "bb", "bb", "bb"], ["bb", "ab", "bb", "ab"]],
    )
    assert result.converged_epochs == [2, None, 4]
    assert [result.converged(k) for k in (1, 2, 3, 4)] == [0, 1, 1, 2]
    # A 2-epoch run would have called seed 2 converged (right at epoch 2); a 3-epoch run not.
    assert result.converged_by_budget([1, 2, 3, 4]) == {1: 0, 2: 2, 3: 1, 4: 2}
    with pytest.raises(AssertionError, match="within must be"):
        result.converged(5)
    with pytest.raises(AssertionError, match="budget must be"):
        result.converged_by_budget([0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seeds": 0}, "seeds must be a count >= 1"),
        ({"seeds": [1, -2]}, "list of ints >= 0, got \\[1, -2\\]"),
        ({"seeds": "10"}, "seeds must be a count"),
        ({"epochs": 0}, "epochs must be"),
        ({"lr": -0.1}, "lr must be"),
        ({"reduction": "max"}, "reduction must be one of"),
        ({"pair": ("hello", "ohlol")}, "pair must be a SequencePair"),
        ({"config": 42}, "config must be a function"),
        ({"config": lambda: torch.nn.RNN(4, 4)}, "CharModel configurations only"),
        ({"config": {"num_class": 5}}, "num_class=5"),
        ({"config": lambda: CharModel(7)}, "vocabulary has 4"),
        ({"device": "tpu"}, "device must be one of"),
    ],
)
def test_batched_bad_inputs_are_explained(kwargs, match):
    args = {"config": {"cell": "rnn"}, "pair": PAIR, "seeds": 2, "epochs": 2, "lr": 0.05}
    args.update(kwargs)
    with pytest.raises(AssertionError, match=match):
        sweep_batched(args.pop("config"), args.pop("pair"), args.pop("seeds"), **args)


def test_sequential_bad_factory_is_explained():
    with pytest.raises(AssertionError, match="make_model must be a function"):
        sweep_sequential(CharModel(4), PAIR, 2, epochs=2, lr=0.05)
    with pytest.raises(AssertionError, match="must return an nn.Module"):
        sweep_sequential(lambda: "model", PAIR, 2, epochs=2, lr=0.05)


def test_sweeps_run_on_the_asked_threads_and_restore_the_setting():
    before = torch.get_num_threads()
    sweep_batched({"cell": "gru"}, PAIR, 2, epochs=2, lr=0.05, num_threads=1)
    assert torch.get_num_threads() == before
    with pytest.raises(AssertionError, match="num_threads must be None or at least 1"):
        sweep_sequential(lambda: CharModel(4), PAIR, 2, epochs=2, lr=0.05, num_threads=0)
    assert torch.get_num_threads() == before


def test_benchmark_script_runs_at_a_tiny_size(capsys):
    from tools.bench import sweeps as bench

    assert bench.bench_sweeps(seeds=3, epochs=3, devices=["cpu"], rounds=2) is True
    layer_ms, cell_ms = bench.bench_layer_vs_cell(torch.device("cpu"), repeats=1, seq_len=3,
                                                  batch=2, size=4)
    assert layer_ms > 0 and cell_ms > 0
    out = capsys.readouterr().out
    assert "lstm" in out and "MISMATCH" not in out and "ERROR" not in out
    assert "sequential sweep in 2 chunks" in out
    assert bench._chunks(list(range(7)), 3) == [[0, 1, 2], [3, 4], [5, 6]]
    assert bench._chunks([4, 5], 5) == [[4], [5]]
    with pytest.raises(SystemExit):
        bench.main(["--rounds", "0"])
    assert "--rounds must be at least 1, got 0" in capsys.readouterr().err
    from tools.bench import __main__ as run_all

    assert run_all.chosen(["sweeps"]) == ["sweeps"]
    with pytest.raises(SystemExit, match="no benchmark named"):
        run_all.chosen(["nope"])
