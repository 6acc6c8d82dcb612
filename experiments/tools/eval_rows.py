"""What the experiments' analysis scripts share: LABEL=RUN arguments, an evaluation's rows
(results.jsonl), the reply a row ends with, shares in percent, and results.json."""
import json
import os
import sys


def labelled_runs(args, script):
    """[(label, run_dir)] from LABEL=RUN_DIR arguments; exits naming a malformed one."""
    runs = []
    for arg in args:
        label, sep, run = arg.partition("=")
        if not sep or not label or not run:
            sys.exit(f"{script}: '{arg}' is not LABEL=RUN_DIR (e.g. tool=runs/exp/eval-tool)")
        runs.append((label, run))
    if not runs:
        sys.exit(f"{script}: name at least one LABEL=RUN_DIR")
    return runs


def read_rows(run, script):
    """The rows of an assistant_eval run's results.jsonl; exits when the file is missing."""
    path = os.path.join(run, "results.jsonl")
    if not os.path.exists(path):
        sys.exit(f"{script}: {path} is missing; did the evaluation run?")
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def final_reply(row):
    """The text of the last message the model wrote ("" when it wrote none)."""
    return row["reply"][-1]["content"] if row["reply"] else ""


def percent(count, total):
    """count / total in percent to one decimal; None when there was nothing to count."""
    return round(100 * count / total, 1) if total else None


def write_results(folder, results):
    with open(os.path.join(folder, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
