#!/usr/bin/env python3
"""Sorts each model's held-out answers into right, refused and confidently wrong, apart for
people the pretraining knew and people it never saw. Writes results.json and chart.svg here.
  analyze.py PIPELINE_RUN EXPERIMENT_FOLDER"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402
from eval_rows import final_reply, percent, read_rows, write_results  # noqa: E402

run, here = sys.argv[1], sys.argv[2]
REFUSAL = "don't know"
models = {"SFT": "eval-sft", "SFT with refusals": "eval-sft-refusals"}
table = {}
for label, stage in models.items():
    counts = {}
    for row in read_rows(os.path.join(run, stage), "analyze.py"):
        group = "known" if row["metadata"].get("known") else "unknown"
        verdict = ("right" if row["answer_right"] else
                   "refused" if REFUSAL in final_reply(row).lower() else "confidently wrong")
        c = counts.setdefault(group, {"questions": 0, "right": 0, "refused": 0,
                                      "confidently wrong": 0})
        c["questions"] += 1
        c[verdict] += 1
    table[label] = {g: {k: (v if k == "questions" else percent(v, c["questions"]))
                        for k, v in c.items()} for g, c in sorted(counts.items())}
with open(os.path.join(run, "probe", "report.json")) as f:
    probe = json.load(f)
write_results(here, {"percent": table, "probe": probe})
groups = [f"{label}: {g} people" for label in models for g in ("known", "unknown")]
series = [{"label": verdict, "values": [table[label][g][verdict] for label in models
                                        for g in ("known", "unknown")]}
          for verdict in ("right", "refused", "confidently wrong")]
spec = {"kind": "bar", "title": "Held-out questions about fictional people",
        "y_label": "% of questions", "y_max": 100, "groups": groups, "series": series}
draw(spec, os.path.join(here, "chart.svg"))
for label in models:
    for g, c in table[label].items():
        print(f"{label:>18}, {g:>7} people ({c['questions']} questions): right {c['right']}%, "
              f"refused {c['refused']}%, confidently wrong {c['confidently wrong']}%")
