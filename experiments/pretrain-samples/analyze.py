#!/usr/bin/env python3
"""The loss curve and the samples of a pretraining run: results.json and chart.svg here.
  analyze.py PRETRAIN_RUN EXPERIMENT_FOLDER"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402

run, here = sys.argv[1], sys.argv[2]
with open(os.path.join(run, "metrics.jsonl")) as f:
    rows = [json.loads(line) for line in f]
with open(os.path.join(run, "samples.jsonl")) as f:
    samples = [json.loads(line) for line in f]
train = [[r["step"], r["loss"]] for r in rows if "loss" in r]
val = [[r["step"], r["val_loss"]] for r in rows if "val_loss" in r]
with open(os.path.join(here, "results.json"), "w") as f:
    json.dump({"val_loss": val, "last_train_loss": train[-1],
               "samples": [{"step": s["step"], "text": s["prompt"] + s["text"]} for s in samples]},
              f, indent=2, ensure_ascii=False)
spec = {"title": "Pretraining on the curated crawl: loss (nats per token)", "x_label": "step",
        "y_label": "cross-entropy", "series": [{"label": "train", "points": train},
                                               {"label": "validation", "points": val}]}
draw(spec, os.path.join(here, "chart.svg"))
for s in samples:
    print(f"step {s['step']:>4}: {json.dumps(s['prompt'] + s['text'], ensure_ascii=False)}")
print(f"validation loss: " + ", ".join(f"{v:.2f} (step {s})" for s, v in val))
