"""Lessons 01, 02 and 03 with unusual pairs: they run, and what they print agrees with the run.

Every pair that ``check_parameters`` accepts must work: two characters, a long text, Chinese,
mixed scripts. A pair of one repeated character is refused before any work, with a message
that says how to fix it. Short budgets keep each case to a few seconds: these tests check
that the lessons run and tell the truth, not how well the models learn.
"""

from __future__ import annotations

import re

import nbformat
import papermill as pm
import pytest

from tests.notebook_runner import execute, summary

pytestmark = pytest.mark.notebook

LONG = "the quick brown fox jumps over the lazy dog 0123456789 again"
PAIRS = {
    "two characters": ("abab", "baba"),
    "60 characters": (LONG, LONG[::-1]),
    "Chinese": ("我爱北京天安门", "门安天京北爱我"),
    "mixed scripts": ("RNN 循环网络 2024", "4202 络网环循 NNR"),
}
QUICK = {"01_rnncell_onehot.ipynb": {"epochs": 3},
         "02_nn_rnn_onehot.ipynb": {"epochs": 3, "sweep_seeds": 2},
         "03_embedding_rnn.ipynb": {"epochs": 3, "sweep_seeds": 2}}


def test_the_pairs_are_what_they_claim():
    assert len(LONG) == 60
    assert all(len(source) == len(target) for source, target in PAIRS.values())


def printed(nb: nbformat.NotebookNode) -> str:
    """Everything the notebook printed, in order."""
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.output_type == "stream")


def verdicts(text: str, target: str) -> list[int | None]:
    """Every printed verdict on a run, in order: N for "... equals the target '...' from epoch
    N on", None for "... is not the target '...'"."""
    found = []
    for line in text.splitlines():
        match = re.search(rf"equals the target {re.escape(repr(target))} from epoch (\d+) on",
                          line)
        if match:
            found.append(int(match.group(1)))
        elif f"is not the target {target!r}" in line:
            found.append(None)
    return found


@pytest.mark.parametrize("case", PAIRS)
def test_lesson01_runs_and_reports_its_own_run(tmp_path, case):
    source, target = PAIRS[case]
    nb = execute("01_rnncell_onehot.ipynb", tmp_path, source=source, target=target,
                 **QUICK["01_rnncell_onehot.ipynb"])
    result, text = summary(nb), printed(nb)
    lecture = result["lecture"]
    # The label demo uses the pair's own first label: fine as (1,), refused as a bare number.
    first = sorted(set(source + target)).index(target[0])
    assert f"label tensor([{first}]) of shape (1,): fine" in text
    assert f"label {first} of shape (): ValueError" in text
    # tanh caps the scores: the lecture model's loss stays above the floor the lesson computes.
    assert lecture["final_loss"] > result["loss_floor_lecture"] > 0
    # The printed verdicts are those of the run.
    assert verdicts(text, target) == [lecture["converged_epoch"]]
    wrong = int(re.search(r"(\d+) of \d+ steps wrong after 200 epochs", text).group(1))
    assert (wrong == 0) == (f"prediction after 200 epochs: {target!r}" in text)


@pytest.mark.parametrize("case", PAIRS)
def test_lesson02_runs_and_reports_its_own_run(tmp_path, case):
    source, target = PAIRS[case]
    nb = execute("02_nn_rnn_onehot.ipynb", tmp_path, source=source, target=target,
                 **QUICK["02_nn_rnn_onehot.ipynb"])
    result, text = summary(nb), printed(nb)
    assert result["lecture"]["final_loss"] > result["loss_floor_lecture"] > 0
    assert verdicts(text, target) == [result["lecture"]["converged_epoch"]]
    sweep = result["sweep"]
    lecture, head, fixed = (sweep[k] for k in ("lecture_converged", "head_only_converged",
                                               "fixed_converged"))
    assert f"The head alone: {head}/2 in 3 epochs" in text
    assert f"With hidden_size = 8 as well: {fixed}/2 in 3." in text
    more = "raise" if sweep["lecture_converged_longer"] > lecture else "do not raise"
    assert f"instead of 3 {more} the lecture model's count" in text


@pytest.mark.parametrize("case", PAIRS)
def test_lesson03_runs_and_reports_its_own_run(tmp_path, case):
    source, target = PAIRS[case]
    nb = execute("03_embedding_rnn.ipynb", tmp_path, source=source, target=target,
                 **QUICK["03_embedding_rnn.ipynb"])
    result, text = summary(nb), printed(nb)
    # Embedding(C, 10) + RNN layer 0 (8x10 + 8x8 + 2x8) + layer 1 (2 x 8x8 + 2x8) + Linear(8, C)
    c = len(set(source + target))
    assert result["parameters"] == 10 * c + 160 + 144 + 9 * c
    assert verdicts(text, target) == [result["converged_epoch"]]
    # Characters only in the target are never looked up: their vectors cannot move.
    only_in_target = sorted(set(target) - set(source))
    assert (f"{only_in_target} did not move" in text) == bool(only_in_target)
    repeats = len(set(source)) < len(source)
    assert ("No input character repeats" in text) != repeats


@pytest.mark.parametrize("name", sorted(QUICK))
def test_one_repeated_character_is_refused_with_a_fix(tmp_path, name):
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute(name, tmp_path, source="aaaa", target="aaaa")
    assert info.value.ename == "ValueError"
    assert "use only one character ('a')" in info.value.evalue
    assert 'source="abab", target="baba"' in info.value.evalue
