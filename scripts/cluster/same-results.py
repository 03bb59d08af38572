#!/usr/bin/env python3
"""Checks that two results folders of one sweep hold the same results, run by run.

    scripts/cluster/same-results.py [--subset] results/SWEEP other/results/SWEEP

With --subset, the first folder may hold only some of the runs (a shard of the sweep): each
of its runs must be in the second folder and identical there; the second's other runs are not
compared.

Used by scripts/test-cluster to compare a SLURM array's results (cut off by time limits,
resubmitted, resumed from checkpoints) with a local `rnnlab run` of the same sweep. On CPU
rnnlab is deterministic, so everything but the clocks must match byte for byte:

* the same run ids, each with a summary.json;
* config.yaml, and every other file of a run folder (breakdown.csv, gradflow.csv), identical;
* metrics.csv identical without its elapsed_s column;
* summary.json identical without the fields that describe the execution rather than the
  result: the timings (wall_s, steps_per_s), the machine (cpu), libtorch's threads and
  resumed_from, the steps
  each resume started from, which differ by construction between a cut-off and a whole run.

Exit 0 when they match; 1, with one line per difference, when not. Standard library only.
"""
import csv
import io
import json
import sys
from pathlib import Path

EXECUTION_FIELDS = {"wall_s", "steps_per_s", "cpu", "threads", "resumed_from"}
SKIPPED_FILES = {"metrics.csv", "summary.json"}


def runs(folder):
    """Run id -> run folder, for the runs that finished (they have a summary.json)."""
    return {p.parent.name: p.parent for p in sorted(folder.glob("runs/*/summary.json"))}


def metrics_without_time(path):
    rows = list(csv.reader(io.StringIO(path.read_text())))
    if not rows:
        return rows
    keep = [i for i, name in enumerate(rows[0]) if name != "elapsed_s"]
    return [[row[i] for i in keep if i < len(row)] for row in rows]


def summary_without_execution(path):
    summary = json.loads(path.read_text())
    return {k: v for k, v in summary.items() if k not in EXECUTION_FIELDS}


def compare(a, b, subset=False):
    problems = []
    runs_a, runs_b = runs(a), runs(b)
    if subset:
        runs_b = {run: folder for run, folder in runs_b.items() if run in runs_a}
    for only, where in ((runs_a.keys() - runs_b.keys(), a), (runs_b.keys() - runs_a.keys(), b)):
        for run in sorted(only):
            problems.append(f"{run}: finished only in {where}")
    for run in sorted(runs_a.keys() & runs_b.keys()):
        ra, rb = runs_a[run], runs_b[run]
        if metrics_without_time(ra / "metrics.csv") != metrics_without_time(rb / "metrics.csv"):
            problems.append(f"{run}: metrics.csv differs (elapsed_s aside)")
        sa, sb = summary_without_execution(ra / "summary.json"), summary_without_execution(
            rb / "summary.json"
        )
        for key in sorted(sa.keys() | sb.keys()):
            if sa.get(key) != sb.get(key):
                problems.append(f"{run}: summary.json {key}: {sa.get(key)!r} vs {sb.get(key)!r}")
        files_a = {p.name for p in ra.iterdir() if p.is_file() and not p.name.endswith(".tmp")}
        files_b = {p.name for p in rb.iterdir() if p.is_file() and not p.name.endswith(".tmp")}
        for name in sorted(files_a ^ files_b):
            problems.append(f"{run}: {name} is in only one of the two folders")
        for name in sorted((files_a & files_b) - SKIPPED_FILES):
            if (ra / name).read_bytes() != (rb / name).read_bytes():
                problems.append(f"{run}: {name} differs")
    return len(runs_a), problems


def main():
    args = sys.argv[1:]
    subset = args[:1] == ["--subset"]
    args = args[1:] if subset else args
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    a, b = Path(args[0]), Path(args[1])
    for folder in (a, b):
        if not (folder / "runs").is_dir():
            print(f"same-results: {folder} has no runs/ folder: pass results/SWEEP", file=sys.stderr)
            return 2
    count, problems = compare(a, b, subset)
    for line in problems:
        print(f"same-results: {line}", file=sys.stderr)
    if problems:
        print(f"same-results: {len(problems)} difference(s) between {a} and {b}", file=sys.stderr)
        return 1
    print(f"same-results: {count} runs identical in {a} and {b} (timings aside)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
