"""Tasks 1 and 2, the model's structure: it can be built, it has one Embedding, one
recurrent layer and one Linear of the asked sizes, created in the order embedding, recurrent
layer, linear (so that a seed means the same model as in task 5's sweeps)."""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from course_utils.homework04 import feedback as fb
from course_utils.homework04.answers import _layers, _seeded_layers


def _describe(layers: Sequence[nn.Module]) -> str:
    return ", ".join(type(m).__name__ for m in layers) or "none"


def _build(task: int, model_class: Any, name: str, *args: Any):
    """Instantiate the student's class; return (model, None) or (None, the error to raise)."""
    call = f"{name}({', '.join(map(repr, args))})"
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            model = model_class(*args)
    except NotImplementedError:  # fb.NotDone, or the stub of nbgrader's student version
        return None, fb.NotDone(task)
    except TypeError as err:
        return None, fb.failure(
            task, f"{call} could not be built.", expected="the constructor of lesson 03's model: "
            f"{name}(num_class, embedding_size=10, hidden_size=8, num_layers=2)",
            found=fb.short(err), hint="take num_class first, then the three sizes with those "
            "defaults, and build every layer from them.")
    except Exception as err:  # the student's own code failed: say so, briefly
        return None, fb.failure(
            task, f"{call} raised an error.", expected="a model", found=fb.short(err),
            hint=f"run `{call}` in a new cell to see the whole traceback.")
    if not isinstance(model, nn.Module):
        return None, fb.failure(task, f"{call} is not a PyTorch module.", expected="an nn.Module",
                              found=type(model).__name__,
                              hint=f"declare the class as `class {name}(nn.Module):`.")
    return model, None


def _structure(task: int, model: nn.Module, name: str, layer: type[nn.RNNBase],
               sizes: tuple[int, int, int, int]) -> fb.CheckFailed | None:
    """The model has one Embedding, one ``layer`` and one Linear of the given sizes."""
    vocab_size, embedding_dim, hidden_size, num_layers = sizes
    embeddings, recurrent, linears = _layers(model)
    kind = layer.__name__
    call = f"{name}({vocab_size}, {embedding_dim}, {hidden_size}, {num_layers})"
    if len(recurrent) != 1 or type(recurrent[0]) is not layer:
        cells = any(isinstance(m, nn.RNNCellBase) for m in recurrent)
        return fb.failure(
            task, f"{name} needs exactly one nn.{kind} layer.", expected=f"one nn.{kind}",
            found=f"recurrent layers: {_describe(recurrent)}",
            hint=(f"use nn.{kind}, which runs the whole sequence (cells come in task 4)."
                  if cells else f"this task is about nn.{kind}: self.rnn = nn.{kind}(...)."))
    rnn = recurrent[0]
    if len(embeddings) != 1 or len(linears) != 1:
        return fb.failure(
            task, f"{name} must be Embedding -> {kind} -> Linear.",
            expected="one nn.Embedding and one nn.Linear",
            found=f"{len(embeddings)} Embedding, {len(linears)} Linear",
            hint="keep lesson 03's embedding and output layer; only the recurrent layer "
                 "changes.")
    emb, head = embeddings[0], linears[0]
    got = (emb.num_embeddings, emb.embedding_dim, rnn.input_size, rnn.hidden_size,
           rnn.num_layers, head.in_features, head.out_features)
    want = (vocab_size, embedding_dim, embedding_dim, hidden_size, num_layers, hidden_size,
            vocab_size)
    if got != want:
        return fb.failure(
            task, f"{call} has the wrong layer sizes.",
            expected=f"Embedding({vocab_size}, {embedding_dim}) -> {kind}({embedding_dim}, "
            f"{hidden_size}, num_layers={num_layers}) -> Linear({hidden_size}, {vocab_size})",
            found=f"Embedding({got[0]}, {got[1]}) -> {kind}({got[2]}, {got[3]}, "
            f"num_layers={got[4]}) -> Linear({got[5]}, {got[6]})",
            hint="build each layer from the constructor's arguments, not from fixed numbers.")
    return None


def _raised_inside_layer(err: BaseException) -> bool:
    """Whether ``err`` was raised inside PyTorch's recurrent layer (a bad initial state), not
    in the student's code after it (a result used without unpacking)."""
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and frames[-1].filename.replace("\\", "/").endswith("nn/modules/rnn.py")


def _order_problem(task: int, model: nn.Module, layer: type[nn.RNNBase],
                   sizes: tuple[int, int, int, int]) -> fb.CheckFailed | None:
    """``model`` (built right after ``torch.manual_seed(0)``) holds the weights that creating
    embedding, recurrent layer and linear layer in this order gives: the order that lesson 03's
    model and the sweeps of task 5 use, so that a seed means the same model everywhere."""
    (emb,), (rnn,), (head,) = _layers(model)
    theirs = {"embedding": emb, "recurrent": rnn, "linear": head}

    def same(reference: dict[str, nn.Module]) -> bool:
        for part, module in reference.items():
            mine, ref = list(theirs[part].parameters()), list(module.parameters())
            if len(mine) != len(ref) or not all(
                    fb.close(a.detach().cpu(), b, 0.0) for a, b in zip(mine, ref, strict=True)):
                return False
        return True

    kind = layer.__name__
    if same(_seeded_layers(("embedding", "recurrent", "linear"), layer, sizes)):
        return None
    found = "other initial weights than the order embedding, " + kind + ", linear gives"
    for order in itertools.permutations(("embedding", "recurrent", "linear")):
        if same(_seeded_layers(order, layer, sizes)):
            names = ", ".join(kind if part == "recurrent" else part for part in order)
            found = f"the layers created in the order {names}"
            break
    return fb.failure(
        task, "the layers are not created in the order the task asks for.",
        expected=f"embedding, then nn.{kind}, then the linear layer, and nothing else random in "
                 "__init__", found=found,
        hint="create them in that order: each layer draws its initial weights from the seeded "
             "random numbers, so another order gives other weights after torch.manual_seed(s), "
             "and every seeded result of this notebook (tasks 3 and 5) changes.")
