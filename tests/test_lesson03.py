"""Lesson 03 executed by papermill with other parameters; assertions on its summary cell."""

from tests.notebook_runner import execute, summary

NAME = "03_embedding_rnn.ipynb"


def test_a_longer_pair_with_a_small_sweep(tmp_path):
    result = summary(execute(NAME, tmp_path, source="hello world", target="dlrow olleh",
                             epochs=40, seed=2, sweep_seeds=10))
    assert result["prediction"] == "dlrow olleh"  # learned: the model's output, not the input
    assert result["final_loss"] < 0.2
    # 8 characters: Embedding(8, 10) 80 + RNN 160 + 144 + Linear(8, 8) 72.
    assert result["parameters"] == 456
    sweep = result["sweep"]
    # The Embedding model and the one-hot model with the same layers converge on every seed;
    # lesson 02's lecture model on fewer.
    assert sweep["lecture_converged"] == sweep["onehot_same_layers_converged"] == 10
    assert sweep["lesson02_lecture_converged"] < 10
