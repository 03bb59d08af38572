#!/usr/bin/env python3
"""Times one PyTorch-eager training step of the models `rnnlab bench` times, and prints the same
table (markdown or CSV, same columns), so that scripts/bench/compare can put them side by side.

The step mirrors rnnlab's: nn.RNN / nn.LSTM / nn.GRU (batch_first, one layer) and a Linear head
over every step, the masked mean cross-entropy rnnlab uses for the copy task, then
zero_grad + backward + loss.item(), clip_grad_norm_(max 1.0) + norm.item() and Adam (lr 1e-3,
PyTorch's defaults otherwise). The input is a copy-task batch laid out like rnnlab's: 10 one-hot
channels (blank, 8 symbols, delimiter), 9 classes, `length` steps in all. Run it with the
python of the torch environment that rnnlab links (scripts/setup):

    $VIRTUAL_ENV/bin/python scripts/bench/pytorch_step.py --format csv
"""
import argparse
import statistics
import sys
import time
import warnings

# torch warns at import when numpy is missing; nothing here needs numpy.
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402
from torch import nn  # noqa: E402

CHANNELS, CLASSES, SYMBOLS = 10, 9, 8
GATES = {"rnn_tanh": 1, "lstm": 4, "gru": 3}
TITLES = ["config", "ms/step", "min–max", "on-CPU ms", "forward ms", "backward ms", "optimizer+clip ms",
          "GFLOP/s"]
NAMES = ["cell", "hidden", "length", "batch", "ms_step", "ms_min", "ms_max", "forward_ms",
         "backward_ms", "optimizer_ms", "gflops", "cpu_ms"]


def ints(text):
    return [int(v) for v in text.split(",")]


def copy_batch(batch, steps, gen):
    """One copy-task batch: `recall` symbols, blanks, the delimiter, then the recall window."""
    recall = max(1, min(10, steps // 4))
    gap = steps - 2 * recall
    x = torch.zeros(batch, steps, CHANNELS)
    x[:, :, 0] = 1.0
    symbols = torch.randint(1, SYMBOLS + 1, (batch, recall), generator=gen)
    rows = torch.arange(batch).unsqueeze(1)
    cols = torch.arange(recall).unsqueeze(0)
    x[rows, cols, 0] = 0.0
    x[rows, cols, symbols] = 1.0
    x[:, recall + gap - 1, 0] = 0.0
    x[:, recall + gap - 1, SYMBOLS + 1] = 1.0
    classes = torch.zeros(batch, steps, dtype=torch.long)
    classes[:, gap + recall:] = symbols
    mask = torch.ones(batch, steps)
    return x, classes, mask


class Net(nn.Module):
    def __init__(self, cell, hidden):
        super().__init__()
        if cell == "rnn_tanh":
            self.rnn = nn.RNN(CHANNELS, hidden, batch_first=True, nonlinearity="tanh")
        elif cell == "lstm":
            self.rnn = nn.LSTM(CHANNELS, hidden, batch_first=True)
        elif cell == "gru":
            self.rnn = nn.GRU(CHANNELS, hidden, batch_first=True)
        else:
            raise SystemExit(f"unknown cell {cell!r}: rnn_tanh, lstm or gru")
        self.head = nn.Linear(hidden, CLASSES)

    def forward(self, x):
        return self.head(self.rnn(x)[0])


def loss_of(y, classes, mask):
    ce = nn.functional.cross_entropy(y.reshape(-1, CLASSES), classes.reshape(-1),
                                     reduction="none")
    m = mask.reshape(-1)
    return (ce * m).sum() / m.sum().clamp_min(1.0)


def time_steps(cell, hidden, steps, args):
    torch.manual_seed(1)
    gen = torch.Generator().manual_seed(1)
    net = Net(cell, hidden)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    params = list(net.parameters())
    x, classes, mask = copy_batch(args.batch, steps, gen)
    times = []
    for i in range(args.warmup + args.repeat):
        # This thread's CPU clock, as rnnlab's bench reads it: compute without the time other
        # processes held the core (one intra-op thread computes on this thread).
        c0 = time.thread_time()
        t0 = time.perf_counter()
        loss = loss_of(net(x), classes, mask)
        t1 = time.perf_counter()
        opt.zero_grad()
        loss.backward()
        loss.item()
        # Free the step's graph here, as rnnlab does, rather than when the next forward
        # replaces `loss` (which would charge it to the next step's forward).
        del loss
        t2 = time.perf_counter()
        norm = nn.utils.clip_grad_norm_(params, 1.0)
        norm.item()
        opt.step()
        t3 = time.perf_counter()
        c3 = time.thread_time()
        if i >= args.warmup:
            times.append((t1 - t0, t2 - t1, t3 - t2, c3 - c0))
    return times


def flops(cell, hidden, steps, batch):
    """3 x T x 2 B G H (I + H): see rnnlab_train::bench::recurrent_flops."""
    return 3.0 * steps * 2.0 * batch * GATES[cell] * hidden * (CHANNELS + hidden)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cells", default="rnn_tanh,lstm,gru")
    p.add_argument("--hidden", type=ints, default=[64, 256])
    p.add_argument("--length", type=ints, default=[100, 500])
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--format", choices=["markdown", "csv"], default="markdown")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(f"pytorch_step: torch {torch.__version__}, cpu, {torch.get_num_threads()} intra-op "
          f"thread(s), batch {args.batch}, {args.warmup} warm-up + {args.repeat} timed steps",
          file=sys.stderr)
    rows = []
    for cell in args.cells.split(","):
        for hidden in args.hidden:
            for steps in args.length:
                print(f"  {cell} H={hidden} T={steps}", file=sys.stderr)
                times = time_steps(cell, hidden, steps, args)
                total = [1e3 * sum(t[:3]) for t in times]
                cpu = statistics.median(1e3 * t[3] for t in times)
                fwd, bwd, opt = (statistics.median(1e3 * t[k] for t in times) for k in range(3))
                med = statistics.median(total)
                gflops = flops(cell, hidden, steps, args.batch) / med / 1e6
                rows.append(([f"{cell} H={hidden} T={steps}", f"{med:.2f}",
                              f"{min(total):.2f}–{max(total):.2f}", f"{cpu:.2f}", f"{fwd:.2f}", f"{bwd:.2f}",
                              f"{opt:.3f}", f"{gflops:.1f}"],
                             [cell, str(hidden), str(steps), str(args.batch), f"{med:.4f}",
                              f"{min(total):.4f}", f"{max(total):.4f}", f"{fwd:.4f}",
                              f"{bwd:.4f}", f"{opt:.4f}", f"{gflops:.3f}", f"{cpu:.4f}"]))
    if args.format == "csv":
        print(",".join(NAMES))
        for _, csv in rows:
            print(",".join(csv))
    else:
        print("| " + " | ".join(TITLES) + " |")
        print("| --- | " + " | ".join("---:" for _ in TITLES[1:]) + " |")
        for md, _ in rows:
            print("| " + " | ".join(md) + " |")


if __name__ == "__main__":
    main()
