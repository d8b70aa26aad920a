"""Where do two float32 computations of one training agree? The measurement behind
``course_utils.rounding``'s two thresholds.

For every cell, hidden size, learning rate and seed of the grid, lesson 03's model (Embedding(C,
10) -> 2 layers -> Linear) on "hello" -> "ohlol" is trained three ways: alone with ``fit`` (the
reference), in a batched sweep (``sweep_batched``: the same training, its sums in another
order) and alone in float64 (``float64_twin``). The epochs that ``compare_runs`` compares are
those where the reference and its float64 twin agree to ``SAFE``; on them the table gives the
largest relative distance between the sweep and the reference, and whether their predictions
ever differed. Then the reference is compared with the same model trained with a learning rate
0.5 and 1.5 times the right one: ``compare_runs`` must tell those apart.

    .venv/bin/python -m tools.bench rounding
    .venv/bin/python -m tools.bench rounding -- --epochs 30 --seeds 2 --hidden 8 64

Exit status 1 when a sweep is called different from its reference (a correct computation
failed) or a wrong learning rate passes where more than one epoch was compared.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

import torch

from course_utils.models import CharModel
from course_utils.rounding import SAFE, TOLERANCE, compare_runs, float64_twin
from course_utils.sweeps import sweep_batched
from course_utils.text import make_pair
from course_utils.training import fit

PAIR = make_pair("hello", "ohlol")


def trained(config: dict, seed: int, epochs: int, lr: float):
    torch.manual_seed(seed)
    model = CharModel(len(PAIR.vocab), **config)
    return fit(model, PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab, epochs=epochs, lr=lr,
               verbose=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    parser.add_argument("--hidden", type=int, nargs="+", default=[1, 4, 8, 32, 128, 512])
    parser.add_argument("--lrs", type=float, nargs="+", default=[0.01, 0.05, 0.3, 1.0, 3.0])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    print(f"SAFE = {SAFE:g}, TOLERANCE = {TOLERANCE:g}; {args.seeds} seeds x {args.epochs} "
          "epochs per setting")
    print(f"{'cell':<5}{'hidden':>7}{'lr':>6}  {'epochs compared':>16}  {'sweep distance':>15}"
          f"  {'wrong lr caught':>16}")
    failed, start = [], time.perf_counter()
    for cell, hidden, lr in itertools.product(args.cells, args.hidden, args.lrs):
        config = {"cell": cell, "embedding_size": 10, "hidden_size": hidden, "num_layers": 2}
        sweep = sweep_batched(config, PAIR, args.seeds, epochs=args.epochs, lr=lr)
        compared, distance, caught, eligible = [], 0.0, 0, 0
        for seed in range(args.seeds):
            reference = trained(config, seed, args.epochs, lr)
            exact = float64_twin(lambda config=config: CharModel(len(PAIR.vocab), **config),
                                 PAIR, seed=seed, epochs=args.epochs, lr=lr)
            agreement = compare_runs(reference, exact, sweep.losses[seed],
                                     sweep.predictions[seed])
            compared.append(agreement.compared)
            distance = max([distance] + [
                abs(a - b) / (1 + abs(b)) for a, b in
                zip(sweep.losses[seed][:agreement.compared],
                    reference.losses[:agreement.compared], strict=True)])
            if not agreement.same:
                failed.append(f"{cell} hidden {hidden} lr {lr} seed {seed}: {agreement}")
            for factor in (0.5, 1.5):
                wrong = trained(config, seed, args.epochs, lr * factor)
                verdict = compare_runs(reference, exact, wrong.losses, wrong.predictions)
                if agreement.compared > 1:
                    eligible += 1
                    caught += not verdict.same
                    if verdict.same:
                        failed.append(f"{cell} hidden {hidden} lr {lr} seed {seed}: lr x "
                                      f"{factor} passed")
        print(f"{cell:<5}{hidden:>7}{lr:>6g}  {min(compared):>7}-{max(compared):<8}"
              f"  {distance:>15.1e}  {caught:>7}/{eligible:<8}", flush=True)
    print(f"{time.perf_counter() - start:.0f} s")
    for line in failed:
        print("FAILED", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
