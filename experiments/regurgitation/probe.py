#!/usr/bin/env python3
"""Greedy continuations of each probed document's first 300 characters, compared with what the
document really says next. Writes results.json and chart.svg here.
  probe.py FORGE CHECKPOINT WORK_FOLDER EXPERIMENT_FOLDER"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402

forge, checkpoint, work, here = sys.argv[1:5]
out = subprocess.run([forge, "--log-level", "warning", "sample", checkpoint, "--prompts",
                      os.path.join(work, "probe.jsonl"), "--max-tokens", "64", "plugin=greedy"],
                     check=True, capture_output=True, text=True).stdout
replies = [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def matched(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


groups = {}
for r in replies:
    n = matched(r["completions"][0], r["truth"])
    g = groups.setdefault(r["group"], {"documents": 0, "matched_chars": 0, "verbatim_50": 0})
    g["documents"] += 1
    g["matched_chars"] += n
    g["verbatim_50"] += n >= 50
    r["matched_chars"] = n
for g in groups.values():
    g["mean_matched_chars"] = round(g["matched_chars"] / g["documents"], 1)
    g["verbatim_50_percent"] = round(100 * g["verbatim_50"] / g["documents"], 1)
best = max(replies, key=lambda r: r["matched_chars"])
order = ["repeated", "once", "unseen"]
with open(os.path.join(here, "results.json"), "w") as f:
    json.dump({"checkpoint": checkpoint, "groups": {k: groups[k] for k in order},
               "longest_match": {"group": best["group"], "prompt_end": best["prompt"][-80:],
                                 "continuation": best["completions"][0],
                                 "matched_chars": best["matched_chars"]}}, f, indent=2)
with open(os.path.join(work, "replies.jsonl"), "w") as f:
    f.write("".join(json.dumps(r) + "\n" for r in replies))
spec = {"kind": "bar", "title": "Greedy continuation of a document's first 300 characters",
        "y_label": "value", "groups": ["seen 30 times", "seen once", "never seen"],
        "series": [{"label": "characters matching the document", "values": [groups[k]["mean_matched_chars"] for k in order]},
                   {"label": "% continuing 50+ characters verbatim", "values": [groups[k]["verbatim_50_percent"] for k in order]}]}
draw(spec, os.path.join(here, "chart.svg"))
for k in order:
    print(f"{k:>9}: {groups[k]['mean_matched_chars']:6.1f} characters matched on average, "
          f"{groups[k]['verbatim_50_percent']:5.1f}% verbatim for 50+")
