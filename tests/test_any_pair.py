"""Lessons 01, 02 and 03 with unusual pairs: they run, and what they print agrees with the run.

Every pair that ``check_parameters`` accepts must work: two characters, a long text, Chinese,
mixed scripts (a pair of one repeated character is refused: tests/test_bad_parameters.py).
Short budgets keep each case to a few seconds: these tests check that the lessons run and tell
the truth, not how well the models learn. The Chinese pair runs with the longer settings of
the lesson's own claims about it, and its test asserts those too: one run proves both.
Every run draws its figures with matplotlib's missing-glyph warning turned into an error: a
character the course's fonts lack (a Chinese one, without Noto Sans CJK) fails the test.
"""

from __future__ import annotations

import math
import re

import nbformat
import pytest

from tests.notebook_runner import execute, summary

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
CHINESE = {"01_rnncell_onehot.ipynb": {"epochs": 30},
           "02_nn_rnn_onehot.ipynb": {"epochs": 30, "sweep_seeds": 5},
           "03_embedding_rnn.ipynb": {"seed": 1, "sweep_seeds": 5, "hidden_size": 16}}


# The kernel's warning filter (Python's -W syntax): a warning whose message starts with "Glyph".
GLYPH_WARNINGS_ARE_ERRORS = "error:Glyph"


def settings(name: str, case: str) -> dict:
    return CHINESE[name] if case == "Chinese" else QUICK[name]


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


# One class per notebook: pytest-xdist's loadscope gives each class to a free worker, so that
# these long runs are shared between the workers.


def run(name: str, case: str, tmp_path, monkeypatch) -> tuple[dict, dict, str]:
    """Execute lesson ``name`` with the pair of ``case`` and its settings; return the settings,
    the summary and everything it printed.

    A character that the figures' fonts lack draws as a box, with matplotlib's warning "Glyph
    ... missing from font(s)": here that warning is an error in the kernel, so the run fails."""
    source, target = PAIRS[case]
    chosen = settings(name, case)
    monkeypatch.setenv("PYTHONWARNINGS", GLYPH_WARNINGS_ARE_ERRORS)
    nb = execute(name, tmp_path, source=source, target=target, **chosen)
    errors = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []) if o.get("name") == "stderr")
    assert "findfont" not in errors, f"matplotlib could not find a font:\n{errors}"
    return chosen, summary(nb), printed(nb)


class TestLesson01:
    @pytest.mark.parametrize("case", PAIRS)
    def test_runs_and_reports_its_own_run(self, tmp_path, monkeypatch, case):
        source, target = PAIRS[case]
        _, result, text = run("01_rnncell_onehot.ipynb", case, tmp_path, monkeypatch)
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
        if case == "Chinese":  # 30 epochs
            assert result["prediction"] == target and result["final_loss"] < 0.1
            # 7 characters: the floor of tanh scores, summed over 7 steps, is 7 log(1 + 6 e^-2).
            assert result["loss_floor_lecture"] == round(7 * math.log(1 + 6 * math.exp(-2)), 4)
            # Unlike "hello" with seed 0, the lecture's model learns it, just above its floor.
            assert lecture["converged_epoch"] is not None and lecture["prediction"] == target
            floor = result["loss_floor_lecture"]
            assert floor < lecture["final_loss"] < 1.1 * floor


class TestLesson02:
    @pytest.mark.parametrize("case", PAIRS)
    def test_runs_and_reports_its_own_run(self, tmp_path, monkeypatch, case):
        source, target = PAIRS[case]
        quick, result, text = run("02_nn_rnn_onehot.ipynb", case, tmp_path, monkeypatch)
        epochs, n = quick["epochs"], quick["sweep_seeds"]
        assert result["lecture"]["final_loss"] > result["loss_floor_lecture"] > 0
        assert verdicts(text, target) == [result["lecture"]["converged_epoch"]]
        sweep = result["sweep"]
        lecture, head, fixed = (sweep[k] for k in ("lecture_converged", "head_only_converged",
                                                   "fixed_converged"))
        assert f"The head alone: {head}/{n} in {epochs} epochs" in text
        # The timing says which was faster in this run, whichever it was (a CPU may favour the
        # loop): the prose around it says what a CPU and a GPU show.
        assert re.search(r"\(forward \+ backward, median of 3\): (nn\.RNN|the loop) "
                         r"\d+\.\d\dx faster in this run", text)
        assert f"With hidden_size = 8 as well: {fixed}/{n} in {epochs}." in text
        more = "raise" if sweep["lecture_converged_longer"] > lecture else "do not raise"
        assert f"instead of {epochs} {more} the lecture model's count" in text
        if case == "Chinese":  # 30 epochs, 5 seeds
            assert result["prediction"] == result["target"] == target
            # The tanh floor grows with the dictionary: log(1 + 6 e^-2) for 7 characters.
            assert result["loss_floor_lecture"] == 0.5944
            # With 30 epochs every seed of every model converges on this pair.
            assert lecture == head == fixed == 5


class TestLesson03:
    @pytest.mark.parametrize("case", PAIRS)
    def test_runs_and_reports_its_own_run(self, tmp_path, monkeypatch, case):
        source, target = PAIRS[case]
        quick, result, text = run("03_embedding_rnn.ipynb", case, tmp_path, monkeypatch)
        # Embedding(C, 10) + RNN layer 0 (Hx10 + HxH + 2H) + layer 1 (2 HxH + 2H) + Linear(H, C)
        c, h = len(set(source + target)), quick.get("hidden_size", 8)
        assert result["parameters"] == 10 * c + (10 * h + h * h + 2 * h) + (2 * h * h + 2 * h) + (
            h * c + c)
        assert verdicts(text, target) == [result["converged_epoch"]]
        # Characters only in the target are never looked up: their vectors cannot move.
        only_in_target = sorted(set(target) - set(source))
        assert (f"{only_in_target} did not move" in text) == bool(only_in_target)
        repeats = len(set(source)) < len(source)
        assert ("No input character repeats" in text) != repeats
        if case == "Chinese":  # seed 1, 5 seeds, hidden_size 16
            assert result["prediction"] == result["target"] == target
            # 7 characters, hidden_size 16: Embedding(7, 10) 70 + RNN (16x10 + 16x16 + 32)
            # + (2 x 16x16 + 32) + Linear(16, 7) 119.
            assert result["parameters"] == 70 + 448 + 544 + 119
            sweep = result["sweep"]
            assert sweep["lecture_converged"] == 5 and sweep["lesson02_lecture_converged"] < 5
