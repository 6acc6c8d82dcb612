#!/usr/bin/env python3
"""Held-out pass@1 and reply length at each evaluation of the RL run: results.json, chart.svg.
  analyze.py RUN EXPERIMENT_FOLDER"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402

run, here = sys.argv[1], sys.argv[2]
with open(os.path.join(run, "report.json")) as f:
    report = json.load(f)
evals = [{"step": e["step"], "pass@1": round(100 * e["pass@1"], 1),
          "pass@2": round(100 * e.get("pass@2", 0), 1),
          "response_tokens": round(e["eval_response_tokens"], 1)} for e in report["evaluations"]]
with open(os.path.join(run, "run.json")) as f:
    seconds = json.load(f).get("seconds")
with open(os.path.join(here, "results.json"), "w") as f:
    json.dump({"evaluations": evals, "seconds": seconds}, f, indent=2)
spec = {"title": "RL on word problems: held-out pass@1 (%) and reply length (tokens)",
        "x_label": "RL step", "y_label": "percent / tokens", "y_min": 0,
        "series": [{"label": "pass@1 (%)", "points": [[e["step"], e["pass@1"]] for e in evals]},
                   {"label": "pass@2 (%)", "points": [[e["step"], e["pass@2"]] for e in evals]},
                   {"label": "reply tokens", "points": [[e["step"], e["response_tokens"]] for e in evals]}]}
draw(spec, os.path.join(here, "chart.svg"))
for e in evals:
    print(f"step {e['step']:>3}: pass@1 {e['pass@1']}%, pass@2 {e['pass@2']}%, "
          f"{e['response_tokens']} tokens a reply")
