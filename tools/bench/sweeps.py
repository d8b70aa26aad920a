"""Benchmark: seed sweeps (one seed after the other vs. all seeds batched) and nn.RNN vs. an
nn.RNNCell loop.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python -m tools.bench.sweeps``.
Part 1 trains the lecture's Embedding model (Embedding(4, 10) -> 2-layer RNN/LSTM/GRU with
hidden size 8 -> Linear(8, 4), Adam lr 0.05) on "hello" -> "ohlol" for every seed, both ways,
checks that both give the same converged counts, and prints the times and their ratio.
Part 2 times forward + backward of ``nn.RNN`` against a Python loop over ``nn.RNNCell`` at a
realistic size, on the CPU and on CUDA when there is a GPU.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable

import torch
from torch import nn

from course_utils.models import lecture_embedding_model
from course_utils.sweeps import BUDGETS, SweepResult, sweep_batched, sweep_sequential
from course_utils.text import make_pair

TARGET_SPEEDUP = 20.0


def _timed(run: Callable[[], SweepResult]) -> tuple[float, float, SweepResult]:
    """Wall seconds and CPU seconds of this process (with one thread, the CPU time is the
    compute itself, much less disturbed than wall time by other jobs on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _chunks(seeds: list[int], rounds: int) -> list[list[int]]:
    """``seeds`` cut into ``rounds`` consecutive, nearly equal, non-empty parts."""
    rounds = min(rounds, len(seeds))
    size, extra = divmod(len(seeds), rounds)
    bounds = [i * size + min(i, extra) for i in range(rounds + 1)]
    return [seeds[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _joined(parts: list[SweepResult]) -> SweepResult:
    """One SweepResult from sweeps of consecutive seed chunks."""
    first = parts[0]
    return SweepResult([s for p in parts for s in p.seeds], first.epochs, first.target,
                       [row for p in parts for row in p.losses],
                       [row for p in parts for row in p.predictions])


def bench_sweeps(seeds: int, epochs: int, devices: list[str], rounds: int = 5) -> bool:
    """Print sequential (CPU) vs. batched (each device) sweep times per cell; return True if all
    converged counts agree.

    On a shared machine the speed changes from one minute to the next, so the two are timed
    side by side: the sequential sweep runs in ``rounds`` chunks of seeds, and after each chunk
    the whole batched sweep runs once. Sequential time: the sum of the chunks; batched time:
    the median of its runs."""
    pair = make_pair("hello", "ohlol")
    budgets = [b for b in BUDGETS if b <= epochs] or [epochs]
    seed_list = list(range(seeds))
    chunks = _chunks(seed_list, rounds)
    # Warm-up: the first Adam step of a process imports a lot of torch (seconds), and the first
    # CUDA call starts the CUDA context.
    sweep_sequential(lambda: lecture_embedding_model(4), pair, 1, epochs=2, lr=0.05)
    for device in devices:
        sweep_batched({"cell": "rnn"}, pair, 2, epochs=2, lr=0.05, device=device)
    print(f"Seed sweeps: {seeds} seeds x {epochs} epochs, lecture Embedding model, lr 0.05, "
          f"1 CPU thread; sequential on the CPU, batched on {' and '.join(devices)}")
    print(f"Interleaved: the sequential sweep in {len(chunks)} chunks of seeds, the whole batched "
          "sweep once after each chunk; sequential = sum of the chunks, batched = median run")
    print("CPU: wall s (CPU time of this process), speed-up from the CPU times; "
          "CUDA: wall s, speed-up from wall times")
    print(f"{'cell':<5} {'device':<5} {'sequential s':>15} {'batched s':>13} {'speed-up':>9}  "
          f"converged within {budgets} (seq / batched)   max |loss diff|")
    all_agree = True
    for cell in ("rnn", "lstm", "gru"):
        def make(cell: str = cell) -> nn.Module:
            return lecture_embedding_model(4, cell=cell)

        seq_parts, seq_wall, seq_cpu = [], 0.0, 0.0
        batched_runs: dict[str, list[tuple[float, float, SweepResult]]] = {d: [] for d in devices}
        for chunk in chunks:
            wall, cpu, part = _timed(
                lambda chunk=chunk: sweep_sequential(make, pair, chunk, epochs=epochs, lr=0.05)
            )
            seq_parts.append(part)
            seq_wall, seq_cpu = seq_wall + wall, seq_cpu + cpu
            for device in devices:
                batched_runs[device].append(_timed(
                    lambda device=device: sweep_batched(make, pair, seed_list, epochs=epochs,
                                                        lr=0.05, device=device)
                ))
        seq = _joined(seq_parts)
        counts_seq = seq.converged_by_budget(budgets)
        for device, runs in batched_runs.items():
            # On the CPU the runs are bit-identical; CUDA may sum the embedding gradient in
            # any order (atomic adds), so there only the converged counts are compared below.
            if device == "cpu" and any(run[2].losses != runs[0][2].losses for run in runs):
                print(f"ERROR: the batched {cell} sweep on {device} gave different losses "
                      "from one run to the next.")
                all_agree = False
            bat = runs[0][2]
            w_bat = statistics.median(run[0] for run in runs)
            t_bat = statistics.median(run[1] for run in runs)
            counts_bat = bat.converged_by_budget(budgets)
            agree = counts_seq == counts_bat and seq.converged_epochs == bat.converged_epochs
            all_agree &= agree
            diff = max(abs(a - b) for la, lb in zip(seq.losses, bat.losses, strict=True)
                       for a, b in zip(la, lb, strict=True))
            # GPU work is not CPU time of this process: compare wall times there.
            speedup = seq_cpu / t_bat if device == "cpu" else seq_wall / w_bat
            print(f"{cell:<5} {device:<5} {seq_wall:>6.2f} ({seq_cpu:>6.2f}) "
                  f"{w_bat:>5.2f} ({t_bat:>5.2f}) {speedup:>8.1f}x  "
                  f"{list(counts_seq.values())} / {list(counts_bat.values())}"
                  f"{'' if agree else '  MISMATCH'}   {diff:.1e}")
            if seeds >= 100 and device == "cpu" and speedup < TARGET_SPEEDUP:
                print(f"      note: below the {TARGET_SPEEDUP:.0f}x target")
    return all_agree


def _median_ms(step: Callable[[], None], device: torch.device, repeats: int) -> float:
    for _ in range(3):
        step()
    # CPU: this process's CPU time (robust to other jobs); CUDA: wall time between syncs.
    clock = time.process_time if device.type == "cpu" else time.perf_counter
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        start = clock()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def bench_layer_vs_cell(device: torch.device, repeats: int, seq_len: int = 100,
                        batch: int = 64, size: int = 256) -> tuple[float, float]:
    """Median ms of forward + backward: nn.RNN over the sequence vs. an nn.RNNCell loop."""
    torch.manual_seed(0)
    layer = nn.RNN(size, size).to(device)
    cell = nn.RNNCell(size, size).to(device)
    x = torch.randn(seq_len, batch, size, device=device)

    def run_layer() -> None:
        out, _ = layer(x)
        out.sum().backward()

    def run_cell() -> None:
        h = torch.zeros(batch, size, device=device)
        outputs = []
        for t in range(seq_len):
            h = cell(x[t], h)
            outputs.append(h)
        torch.stack(outputs).sum().backward()

    return _median_ms(run_layer, device, repeats), _median_ms(run_cell, device, repeats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=15, help="runs per layer timing")
    parser.add_argument("--rounds", type=int, default=5,
                        help="sequential chunks, each followed by one batched run (default 5)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    cuda = torch.cuda.is_available()
    print(f"Python {platform.python_version()}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} CPU thread(s), "
          f"CUDA: {torch.cuda.get_device_name(0) if cuda else 'none'}")
    print()
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    agree = bench_sweeps(args.seeds, args.epochs, ["cpu"] + (["cuda"] if cuda else []),
                         args.rounds)
    print()
    print("nn.RNN vs. nn.RNNCell loop: seq 100, batch 64, input 256, hidden 256, "
          f"forward + backward, median of {args.repeats} runs (CPU: CPU time; CUDA: wall time)")
    devices = [torch.device("cpu")] + ([torch.device("cuda")] if cuda else [])
    for device in devices:
        layer_ms, cell_ms = bench_layer_vs_cell(device, args.repeats)
        print(f"  {device.type:<4}  nn.RNN {layer_ms:7.2f} ms   RNNCell loop {cell_ms:7.2f} ms   "
              f"ratio {cell_ms / layer_ms:.1f}x")
    if not agree:
        print("ERROR: sequential and batched sweeps disagree on converged seeds.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
