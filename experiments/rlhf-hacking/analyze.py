#!/usr/bin/env python3
"""Charts the learned reward against the hidden judge through both RLHF runs of the pipeline.
  analyze.py PIPELINE_RUN EXPERIMENT_FOLDER"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402

run, here = sys.argv[1], sys.argv[2]
curves = {}
for stage in ("rlhf", "rlhf-overoptimised"):
    with open(os.path.join(run, stage, "metrics.jsonl")) as f:
        rows = [json.loads(line) for line in f]
    evals = [r for r in rows if "judge_score" in r]
    curves[stage] = {k: [[r["step"], r[k]] for r in evals] for k in ("rm_score", "judge_score", "kl")}
    with open(os.path.join(run, stage, "run.json")) as f:
        curves[stage]["status"] = json.load(f).get("stopped_early", "")
with open(os.path.join(here, "results.json"), "w") as f:
    json.dump(curves, f, indent=2)
spec = {"title": "RLHF against a learned reward model: reward model score and hidden judge",
        "x_label": "step", "y_label": "score",
        "series": [{"label": f"{stage} {k.replace('_score', '')}", "points": curves[stage][k]}
                   for stage in curves for k in ("rm_score", "judge_score")]}
draw(spec, os.path.join(here, "chart.svg"))
for stage, c in curves.items():
    j = c["judge_score"]
    best = max(j, key=lambda p: p[1])
    print(f"{stage}: judge {j[0][1]:.3f} at step {j[0][0]}, best {best[1]:.3f} at step {best[0]}, "
          f"last {j[-1][1]:.3f} at step {j[-1][0]}; reward model {c['rm_score'][0][1]:.3f} -> "
          f"{c['rm_score'][-1][1]:.3f}; monitor: {c['status'] or 'no verdict'}")
