"""Lesson 07 executed by papermill with other parameters; assertions on its summary cell."""

import pytest

from tests.notebook_runner import execute, summary

NAME = "07_variable_length.ipynb"


def check_common(result: dict, languages: list[str]) -> None:
    """What holds for every run: the proofs, the summary's keys, accuracies in range."""
    assert result["packed_equals_one_by_one"] is True
    assert list(result["per_language"]) == languages
    assert 0 <= result["val_accuracy"] <= result["best_possible_accuracy"] <= 1
    assert set(result["ablation"]) == {"packed, bidirectional", "padded, bidirectional",
                                       "packed, forward only"}
    gain = (result["ablation"]["packed, bidirectional"]["accuracy"]
            - result["ablation"]["packed, forward only"]["accuracy"])
    assert result["bidirectional_gain"] == pytest.approx(gain, abs=1e-3)
    # The packed model's answers never depend on the padding of the batch.
    assert result["short_answers_changed_by_padding"].get("packed, bidirectional", 0) == 0
    assert result["seconds"] > 0


class TestLesson07:
    def test_a_non_latin_script_another_seed_and_fewer_numbers(self, tmp_path):
        languages = ["ru", "en", "de", "it"]
        result = summary(execute(NAME, tmp_path, seed=3, epochs=3, max_number=199,
                                 languages=languages))
        check_common(result, languages)
        # Cyrillic shares no character with the others: Russian is never confused.
        assert result["per_language"]["ru"] == 1.0, result
        assert result["val_accuracy"] >= 0.9, result  # chance is 0.25

    def test_two_languages_that_share_short_words(self, tmp_path):
        # Spanish and Portuguese: "seis", "cinco", "setenta" ... are the same word in both.
        languages = ["es", "pt"]
        result = summary(execute(NAME, tmp_path, seed=1, epochs=2, max_number=99,
                                 hidden_size=16, languages=languages))
        check_common(result, languages)
        assert result["best_possible_accuracy"] < 1.0, result
        assert result["short_words"] > 0, result
