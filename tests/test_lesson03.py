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


def test_a_large_model_and_a_large_learning_rate_run_to_the_end(tmp_path):
    # With hidden_size 200-512 or lr 0.5 the sweep's run of seed 0 parts from section 3's run
    # by more than any fixed tolerance (training amplifies rounding): the notebook must still
    # run, comparing the epochs that rounding cannot change (course_utils.rounding).
    nb = execute(NAME, tmp_path, hidden_size=256, lr=0.5, sweep_seeds=3)
    result = summary(nb)
    assert result["parameters"] == 40 + (2560 + 65536 + 512) + (2 * 65536 + 512) + 1028
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "seed 0 in the sweep repeats section 3's run: yes, the same losses and predictions" \
        in text
