"""Lesson 07: its stored default run (which nbval re-executes and compares), papermill runs with
other parameters, and the functions the notebook defines, taken from its cells."""

import ast
import contextlib
import io
import re
import time
from collections import Counter

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence
from torch.utils.data import DataLoader

from course_utils.languages import DEFAULT_LANGUAGES, best_possible_accuracy, make_number_words
from course_utils.repro import seed_everything
from course_utils.text import Vocabulary
from tests.notebook_runner import execute, stored, summary

NAME = "07_variable_length.ipynb"
MODELS = ("packed, bidirectional", "padded, bidirectional", "packed, forward only")
SHORT = 6  # the notebook's SHORT
# Parameters under which some characters occur in validation texts only (found by a search over
# language pairs, max_number and seeds): with English and German, 0..99 and seed 3, 11 and 12
# are validation numbers ("eleven", "twelve", "elf", "zwölf"), and so is every other number
# written with an "l" ("null") or an "ö": no training text has either character.
HYGIENE = {"languages": ["en", "de"], "max_number": 99, "seed": 3}
ONLY_IN_VALIDATION = {"l", "ö"}


def classifier_parameters(vocabulary: int, embedding: int, hidden: int, languages: int,
                          bidirectional: bool) -> int:
    """The parameters of the lesson's LanguageClassifier, counted by hand: the embedding (the
    characters, PAD and UNK), a GRU (3 gates, each with input and hidden weights and two
    biases) per direction, and the Linear layer on the final states."""
    directions = 2 if bidirectional else 1
    gru = directions * 3 * (hidden * embedding + hidden * hidden + 2 * hidden)
    return (vocabulary + 2) * embedding + gru + (directions * hidden + 1) * languages


def check_common(result: dict, languages: list[str], *, sweep_seeds: int, hidden_size: int,
                 embedding_size: int = 16) -> None:
    """What holds for every run: the proofs, the comparison's shape, a fair parameter count,
    baselines and answers that cannot beat the best possible, packing's batch independence."""
    assert result["packed_equals_one_by_one"] is True
    assert list(result["per_language"]) == languages
    best = result["best_possible_accuracy"]
    assert 0 <= result["val_accuracy"] <= best <= 1
    # Several seeds for every model, the short texts counted per seed.
    assert result["sweep_seeds"] == sweep_seeds
    assert set(result["comparison"]) == set(MODELS)
    for r in result["comparison"].values():
        assert len(r["first"]) == len(r["last"]) == len(r["short_right"]) == sweep_seeds, r
        assert all(0 <= a <= best for a in r["first"] + r["last"]), r
        assert all(0 <= k <= result["short_words"] for k in r["short_right"]), r
    assert 0 <= result["first_epoch_ahead_of_padded"] <= sweep_seeds
    # The forward-only model has the hidden size whose parameter count is nearest the
    # bidirectional model's (counted here by hand, not by the notebook's code).
    def count(hidden: int, bidirectional: bool) -> int:
        return classifier_parameters(result["vocabulary"], embedding_size, hidden, len(languages),
                                     bidirectional)
    hidden = result["hidden"]
    assert hidden["packed, bidirectional"] == hidden["padded, bidirectional"] == hidden_size
    target = count(hidden_size, True)
    assert result["parameters"]["packed, bidirectional"] == target
    assert result["parameters"]["packed, forward only"] == count(hidden["packed, forward only"],
                                                                 False)
    nearest = min(range(1, 4 * hidden_size + 1), key=lambda h: abs(count(h, False) - target))
    assert hidden["packed, forward only"] == nearest, (hidden, nearest)
    # The bags of characters and of pairs: real accuracies, never above the best possible.
    assert set(result["bags"]) == {"bag of characters", "bag of pairs"}
    assert all(1 / len(languages) < a <= best for a in result["bags"].values()), result["bags"]
    # Packing: the answers never depend on the batch, sorted by length or padded further.
    assert result["same_scores_sorted"]["packed, bidirectional"] is True
    assert result["sorted_answers_changed"]["packed, bidirectional"] == 0
    assert result["short_answers_changed_by_padding"].get("packed, bidirectional", 0) == 0
    assert 0 < result["real_cells"]["random"] <= result["real_cells"]["sorted"] <= 1
    assert 0 < result["made_of_known_pieces"] <= 1
    # Times in tenths of a second: a tiny run (two languages, one seed) can round to 0.0.
    assert result["estimated_seconds"] >= 0 and result["comparison_seconds"] >= 0
    assert result["seconds"] > 0


def stream(cell) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def cell_printing(nb, text: str):
    """The one code cell whose printed output holds ``text``."""
    found = [c for c in nb.cells if c.cell_type == "code" and text in stream(c)]
    assert len(found) == 1, f"{len(found)} cells print {text!r}"
    return found[0]


def check_progress(nb, *, epochs: int, sweep_seeds: int) -> None:
    """Section 5 prints a line per epoch as it trains, with the time left; section 6 first an
    estimate of its training, then a line per seed with the models done and the time left."""
    lines = stream(cell_printing(nb, f"epoch 1/{epochs}")).splitlines()
    assert [int(re.match(r"epoch (\d+)/", line)[1]) for line in lines] == list(
        range(1, epochs + 1))
    assert all(re.search(r"\(\d+\.\d s, about \d+ s left\)$", line) for line in lines), lines
    to_train = 3 * sweep_seeds - 1
    lines = stream(cell_printing(nb, "models to train")).splitlines()
    assert re.fullmatch(rf"{to_train} models to train, {epochs} epochs each: about \d+ s at the "
                        r"speed of section 5's model", lines[0]), lines[0]
    done = [re.fullmatch(rf"seed (\d+): (\d+) of {to_train} models trained in \d+ s, about \d+ s "
                         r"left", line) for line in lines[1:]]
    assert all(done) and len(done) == sweep_seeds, lines
    assert [int(m[2]) for m in done] == [3 * (i + 1) - 1 for i in range(sweep_seeds)], lines


def notebook_definitions(names: list[str], namespace: dict) -> dict:
    """The functions and classes ``names`` defined in code cells of the stored notebook, defined
    again, in the notebook's order, in ``namespace`` (plus torch), without running the rest of
    their cells. Returns the namespace."""
    namespace.setdefault("torch", torch)
    left = set(names)
    for cell in stored(NAME).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in left:
                exec(compile(ast.Module(body=[node], type_ignores=[]), NAME, "exec"), namespace)
                left.discard(node.name)
    assert not left, f"{NAME} defines no function or class {sorted(left)}"
    return namespace


def notebook_function(name: str, **namespace):
    """The function ``name`` defined in a code cell of the stored notebook, defined again in
    ``namespace`` (plus torch), without running the rest of its cell."""
    return notebook_definitions([name], namespace)[name]


def notebook_cell_defining(name: str) -> str:
    """The source of the one code cell of the stored notebook that assigns ``name`` at its top
    level (e.g. the vocabulary's cell, which assigns ``char_index``)."""
    found = []
    for cell in stored(NAME).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found.append(cell.source)
    assert len(found) == 1, f"{len(found)} cells of {NAME} assign {name}"
    return found[0]


@pytest.fixture(scope="module")
def nb():
    """The stored notebook: the outputs of the default parameters."""
    return stored(NAME)


@pytest.fixture(scope="module")
def result(nb):
    return summary(nb)


class TestStoredRun:
    """The stored outputs: the default parameters, and what the text says about them."""

    def test_what_holds_for_every_run(self, result):
        check_common(result, list(DEFAULT_LANGUAGES), sweep_seeds=3, hidden_size=32)

    def test_progress_and_estimates_are_printed(self, nb):
        check_progress(nb, epochs=3, sweep_seeds=3)

    def test_per_language_accuracy_is_printed_with_one_decimal(self, nb, result):
        text = stream(cell_printing(nb, "accuracy per language:")).split("read as")[0]
        printed = dict(re.findall(r"(\w+) (\d+(?:\.\d+)?%)", text))
        assert printed == {code: f"{a:.1%}" for code, a in result["per_language"].items()}, text
        assert any(a < 1 for a in result["per_language"].values())  # 99.5% is not "100%"

    def test_the_short_texts_are_counted_from_the_data(self, result):
        data = make_number_words(DEFAULT_LANGUAGES, 999, seed=0)
        short_train = [e for e in data.train if len(e[0]) <= SHORT]
        assert result["short_words"] == sum(len(text) <= SHORT for text, _ in data.val)
        assert result["short_train"]["texts"] == len(short_train)
        assert result["short_train"]["of"] == len(data.train)
        assert result["short_train"]["best_possible"] == round(
            best_possible_accuracy(short_train), 4)

    def test_the_conclusions_of_section_6_hold_for_the_stored_run(self, result):
        """The text says what the stored run shows: packing ahead after epoch 1 at every seed;
        the second direction's lead from about zero to a few points after epoch 1, about zero
        after the last; the models within a fraction of a point after the last epoch; a bag of
        characters within about a point, a bag of pairs as close as the models are."""
        c, seeds = result["comparison"], result["sweep_seeds"]
        assert result["first_epoch_ahead_of_padded"] == seeds
        leads = [a - b for a, b in zip(c["packed, bidirectional"]["first"],
                                       c["packed, forward only"]["first"], strict=True)]
        assert min(leads) < 0.01 and max(leads) < 0.1, leads
        assert abs(result["bidirectional_gain"]) < 0.005
        gaps = [max(r["last"][i] for r in c.values()) - min(r["last"][i] for r in c.values())
                for i in range(seeds)]
        assert max(gaps) < 0.01, gaps
        best_mean = max(sum(r["last"]) / seeds for r in c.values())
        assert 0 < best_mean - result["bags"]["bag of characters"] < 0.015, result["bags"]
        assert abs(best_mean - result["bags"]["bag of pairs"]) < 0.01, result["bags"]
        assert result["same_bag_groups"] > 0  # "drei" and "drie"

    def test_drei_is_a_training_text_and_the_model_is_unsure(self, nb):
        line = next(line for line in stream(cell_printing(nb, "'drei':")).splitlines()
                    if "'drei':" in line)
        assert "[training text: de]" in line, line
        top = int(re.search(r"'drei': \w+ (\d+)%", line)[1])
        assert top < 90, line


class TestNotebookFunctions:
    def test_a_bag_of_characters_counts_and_forgets_the_order(self):
        bag_of = notebook_function("bag_of")
        characters = {c: i for i, c in enumerate("ehlo")}
        counts = bag_of([("hello", 0), ("olleh", 1), ("hex", 0)], characters)
        assert counts.tolist() == [[1, 1, 2, 1], [1, 1, 2, 1], [1, 1, 0, 0]]  # x: unknown
        pairs = {p: i for i, p in enumerate(["el", "he", "ll", "lo", "ol"])}
        assert bag_of([("hello", 0), ("olleh", 1)], pairs).tolist() == [[1, 1, 1, 1, 0],
                                                                         [0, 0, 1, 0, 1]]
        drei, drie = bag_of([("drei", 0), ("drie", 1)], {c: i for i, c in enumerate("deir")})
        assert torch.equal(drei, drie)

    def test_length_batches_sort_by_length_and_keep_every_text_once(self):
        length_batches = notebook_function("length_batches", seed=0)
        examples = make_number_words(["en", "fr"], 199, seed=0).train
        batches = length_batches(examples, batch_size=32, seed=0)
        flat = [i for batch in batches for i in batch]
        assert sorted(flat) == list(range(len(examples)))
        sizes = sorted(len(b) for b in batches)  # all full but one, which can come anywhere
        assert sizes[1:] == [32] * (len(batches) - 1) and 0 < sizes[0] <= 32, sizes
        spans = sorted((min(len(examples[i][0]) for i in b), max(len(examples[i][0]) for i in b))
                       for b in batches)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), spans
        shortest = [min(len(examples[i][0]) for i in b) for b in batches]
        assert shortest != sorted(shortest)  # the batches come in random order
        assert length_batches(examples, batch_size=32, seed=0) == batches
        assert length_batches(examples, batch_size=32, seed=1) != batches


def characters(examples) -> set[str]:
    return set("".join(text for text, _ in examples))


@pytest.fixture(scope="module")
def hygiene_data():
    return make_number_words(HYGIENE["languages"], HYGIENE["max_number"], seed=HYGIENE["seed"])


def notebook_vocabulary(data) -> dict:
    """The namespace of the notebook's vocabulary cell (``vocab``, ``char_index``, ``encode``,
    ``PAD``, ``UNK``), run on ``data``."""
    namespace = {"data": data, "Vocabulary": Vocabulary, "torch": torch}
    with contextlib.redirect_stdout(io.StringIO()):  # it prints the vocabulary's size
        exec(notebook_cell_defining("char_index"), namespace)
    return namespace


class TestDataHygiene:
    """Nothing of the validation set reaches training: not its numbers or texts (the training
    loop reads the training texts, each once per epoch, and nothing else), not its characters
    (the vocabulary is the training texts' characters; any other is read as UNK). The split
    itself (by number) is tested in tests/test_languages.py."""

    def test_a_character_seen_only_in_validation_is_read_as_unk(self, hygiene_data):
        data = hygiene_data
        assert characters(data.val) - characters(data.train) == ONLY_IN_VALIDATION
        namespace = notebook_vocabulary(data)
        vocab, char_index, encode = namespace["vocab"], namespace["char_index"], namespace["encode"]
        PAD, UNK = namespace["PAD"], namespace["UNK"]  # noqa: N806 (the notebook's names)
        assert set(vocab.chars) == set(char_index) == characters(data.train)
        assert PAD not in char_index.values() and UNK not in char_index.values()
        for text, _ in data.train:
            assert UNK not in encode(text).tolist(), text
        unknown = [text for text, _ in data.val if set(text) & ONLY_IN_VALIDATION]
        assert {"eleven", "zwölf"} <= set(unknown)
        for text in unknown:
            read = encode(text).tolist()
            assert [i == UNK for i in read] == [c in ONLY_IN_VALIDATION for c in text], (text, read)

    def test_training_reads_the_training_texts_only(self, hygiene_data):
        """The notebook's own `train`, with a model that records every text it reads in
        training mode (validation runs in eval mode): one epoch is the training texts, each
        once, and nothing else."""
        data = hygiene_data
        namespace = notebook_vocabulary(data)
        namespace.update(
            epochs=1, lr=0.01, hidden_size=4, embedding_size=3, languages=HYGIENE["languages"],
            seed=0, device=torch.device("cpu"), time=time, F=F, nn=nn, DataLoader=DataLoader,
            pad_sequence=pad_sequence, pack_padded_sequence=pack_padded_sequence,
            seed_everything=seed_everything,
            val_labels=torch.tensor([label for _, label in data.val]))
        notebook_definitions(["LanguageClassifier", "collate", "loader", "predict", "train"],
                             namespace)
        character = {i: c for c, i in namespace["char_index"].items()}
        read_in_training: list[str] = []

        class Recording(namespace["LanguageClassifier"]):
            def forward(self, x, lengths):
                if self.training:
                    read_in_training.extend(
                        "".join(character.get(int(i), "<UNK>") for i in row[:n])
                        for row, n in zip(x, lengths, strict=True))
                return super().forward(x, lengths)

        namespace["LanguageClassifier"] = Recording
        _, history = namespace["train"]()
        assert len(history["val_accuracy"]) == 1  # it did read the validation texts, to measure
        leaked = Counter(read_in_training) - Counter(text for text, _ in data.train)
        missing = Counter(text for text, _ in data.train) - Counter(read_in_training)
        assert not leaked and not missing, (f"read in training but not training texts: "
                                            f"{sorted(leaked)[:5]}; training texts not read: "
                                            f"{sorted(missing)[:5]}")

    @pytest.mark.parametrize("k", [1, 2])
    def test_the_bags_count_the_pieces_of_training_texts_only(self, hygiene_data, k):
        """The baselines of section 6: a bag of characters (k = 1) and of pairs (k = 2) has one
        column per piece of the training texts; a piece seen only in validation counts
        nowhere."""
        data = hygiene_data
        namespace = {"data": data, "languages": HYGIENE["languages"], "nn": nn, "F": F,
                     "val_labels": torch.tensor([label for _, label in data.val])}
        notebook_definitions(["bag_of", "bag_accuracy"], namespace)
        bag_of, indexes = namespace["bag_of"], []

        def recording_bag_of(examples, index):
            indexes.append(index)
            return bag_of(examples, index)

        namespace["bag_of"] = recording_bag_of
        accuracy = namespace["bag_accuracy"](k, steps=2)
        assert 0 <= accuracy <= 1
        pieces = {text[i:i + k] for text, _ in data.train for i in range(len(text) - k + 1)}
        assert indexes and all(set(index) == pieces for index in indexes)
        assert not ONLY_IN_VALIDATION & set("".join(pieces))


class TestOtherParameters:
    def test_a_non_latin_script_another_seed_and_fewer_numbers(self, tmp_path):
        languages = ["ru", "en", "de", "it"]
        nb = execute(NAME, tmp_path, seed=3, epochs=3, max_number=199, languages=languages,
                     sweep_seeds=2)
        result = summary(nb)
        check_common(result, languages, sweep_seeds=2, hidden_size=32)
        check_progress(nb, epochs=3, sweep_seeds=2)
        # Cyrillic shares no character with the others: Russian is never confused.
        assert result["per_language"]["ru"] == 1.0, result
        assert result["val_accuracy"] >= 0.9, result  # chance is 0.25

    def test_two_languages_that_share_short_words(self, tmp_path):
        # Spanish and Portuguese: "seis", "cinco", "setenta" ... are the same word in both.
        languages = ["es", "pt"]
        nb = execute(NAME, tmp_path, seed=1, epochs=2, max_number=99, hidden_size=16,
                     languages=languages, sweep_seeds=1)
        result = summary(nb)
        check_common(result, languages, sweep_seeds=1, hidden_size=16)
        check_progress(nb, epochs=2, sweep_seeds=1)
        assert result["best_possible_accuracy"] < 1.0, result
        assert result["short_words"] > 0, result
