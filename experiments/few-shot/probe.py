#!/usr/bin/env python3
"""Few-shot prompting of a base model: k worked examples of a pattern, then a query; the reply
is right when its first words complete the pattern. Writes results.json and chart.svg here.
  probe.py FORGE CHECKPOINT WORK_FOLDER EXPERIMENT_FOLDER"""
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402

forge, checkpoint, work, here = sys.argv[1:5]
WORDS = ("table file query index server window record column value string number module "
         "package system option error method object class function list buffer socket thread "
         "device user group backup network driver kernel mirror archive schema cursor trigger "
         "session domain signal output input format filter source target branch commit "
         "release version library program process memory").split()
SHOTS = [0, 1, 2, 4, 8]
QUERIES = 40


# Each task: how one example reads, and what a right reply starts with. Lines start with "- "
# so that a word is the same token (" table") where it is shown and where it is asked for.
def copy_task(a, b):
    return f"- {a} -> {a}", f"- {a} ->", f" {a}"


def swap_task(a, b):
    return f"- {a} {b} -> {b} {a}", f"- {a} {b} ->", f" {b} {a}"


def plural_task(a, b):
    return f"- one {a}, two {a}s", f"- one {a}, two", f" {a}s"


TASKS = {"copy a word": copy_task, "swap two words": swap_task, "plural after a number": plural_task}

rng = random.Random(7)
items = []
for task, make in TASKS.items():
    for q in range(QUERIES):
        query = rng.sample(WORDS, 2)
        examples = [make(*rng.sample([w for w in WORDS if w not in query], 2))[0]
                    for _ in range(max(SHOTS))]
        for k in SHOTS:
            _, prompt, answer = make(*query)
            text = "".join(e + "\n" for e in examples[:k]) + prompt
            items.append({"task": task, "shots": k, "prompt": text, "answer": answer})
os.makedirs(work, exist_ok=True)
prompts = os.path.join(work, "prompts.jsonl")
with open(prompts, "w") as f:
    for item in items:
        f.write(json.dumps(item) + "\n")
out = subprocess.run([forge, "--log-level", "warning", "sample", checkpoint, "--prompts", prompts,
                      "--max-tokens", "6", "plugin=greedy"],
                     check=True, capture_output=True, text=True).stdout
replies = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
with open(os.path.join(work, "replies.jsonl"), "w") as f:
    f.write("".join(json.dumps(r) + "\n" for r in replies))

accuracy = {task: {k: 0 for k in SHOTS} for task in TASKS}
for r in replies:
    if r["completions"][0].startswith(r["answer"]):
        accuracy[r["task"]][r["shots"]] += 1
for task in accuracy:
    for k in SHOTS:
        accuracy[task][k] = round(100 * accuracy[task][k] / QUERIES, 1)
examples = {task: next(r for r in replies if r["task"] == task and r["shots"] == 4)
            for task in TASKS}
with open(os.path.join(here, "results.json"), "w") as f:
    json.dump({"checkpoint": checkpoint, "queries_per_point": QUERIES, "accuracy_percent": accuracy,
               "example_at_4_shots": examples}, f, indent=2)
spec = {"title": "A base model continues the pattern its prompt shows",
        "x_label": "examples in the prompt", "y_label": "replies that complete the pattern (%)",
        "y_min": 0, "y_max": 100,
        "series": [{"label": task, "points": [[k, accuracy[task][k]] for k in SHOTS]}
                   for task in TASKS]}
draw(spec, os.path.join(here, "chart.svg"))
for task in TASKS:
    print(f"{task:>22}: " + "  ".join(f"{k}-shot {accuracy[task][k]:5.1f}%" for k in SHOTS))
