"""Lesson 02 executed by papermill with other parameters; assertions on its summary cell."""

from tests.notebook_runner import execute, summary

NAME = "02_nn_rnn_onehot.ipynb"


def test_another_pair_with_a_small_sweep(tmp_path):
    result = summary(execute(NAME, tmp_path, source="abcd", target="dcba", seed=3,
                             sweep_seeds=10))
    assert result["prediction"] == "dcba"  # learned: the model's output, not the input
    assert result["converged_epoch"] is not None and result["final_loss"] < 0.2
    # The lecture's model learns this pair with seed 3, but stays above the tanh floor.
    assert result["lecture"]["converged_epoch"] is not None
    assert result["lecture"]["final_loss"] > result["loss_floor_lecture"] == 0.3408
    sweep = result["sweep"]
    # Every seed of both models with a Linear head converges within the 15 epochs; the
    # lecture's model on fewer, and more training does not change that for these seeds.
    assert sweep["fixed_converged"] == sweep["head_only_converged"] == 10
    assert sweep["lecture_converged"] == sweep["lecture_converged_longer"] == 9
