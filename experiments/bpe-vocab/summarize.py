#!/usr/bin/env python3
"""Reads the sweep's stats.json files into results.json and chart.svg:
  summarize.py RUNS_FOLDER EXPERIMENT_FOLDER"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402

runs, here = sys.argv[1], sys.argv[2]
SIZES = {"gpt2": "50,257", "cl100k_base": "100,256"}
rows = []
reference = {}
for stats_file in glob.glob(os.path.join(runs, "sweep", "*", "stats.json")):
    with open(stats_file) as f:
        stats = json.load(f)
    with open(os.path.join(os.path.dirname(stats_file), "recipe.yaml")) as f:
        vocab = next(int(line.split(":")[1]) for line in f if line.startswith("vocab_size:"))
    compression = stats["compression"]
    # A small corpus runs out of pairs to merge: the vocabulary reached can be below the one asked.
    rows.append({"vocab_size": vocab, "vocab_reached": stats["vocab_size"],
                 "bytes_per_token": compression["trained"],
                 "tokens_per_kb": 1000 / compression["trained"],
                 "training_bytes": stats["training"]["bytes"]})
    reference = {k: v for k, v in compression.items() if k != "trained"}
rows.sort(key=lambda r: r["vocab_size"])
if not rows:
    sys.exit(f"summarize.py: no stats.json under {runs}/sweep; did the sweep run?")
results = {"rows": rows, "reference_bytes_per_token": reference}
with open(os.path.join(here, "results.json"), "w") as f:
    json.dump(results, f, indent=2)
spec = {
    "title": "Held-out web text: tokens per 1,000 bytes against vocabulary size",
    "x_label": "vocabulary size (log scale)", "y_label": "tokens per 1,000 bytes",
    "log_x": True, "y_min": 0,
    "series": [{"label": "trained BPE", "points": [[r["vocab_size"], r["tokens_per_kb"]] for r in rows]}]
    + [{"label": f"{name} ({SIZES.get(name, '?')} tokens)",
        "points": [[rows[0]["vocab_size"], 1000 / bpt], [rows[-1]["vocab_size"], 1000 / bpt]]}
       for name, bpt in reference.items()],
}
draw(spec, os.path.join(here, "chart.svg"))
for r in rows:
    print(f"vocab {r['vocab_size']:>6} (reached {r['vocab_reached']:>6}): "
          f"{r['bytes_per_token']:.3f} bytes/token, "
          f"{r['tokens_per_kb']:.1f} tokens per 1000 bytes")
for name, bpt in reference.items():
    print(f"{name}: {bpt:.3f} bytes/token")
