#!/usr/bin/env python3
"""Sets an experiment's assistant_eval runs side by side: results.json, a table on stdout and a
bar chart of the chosen measures.
  eval_table.py OUT_FOLDER TITLE MEASURE[,MEASURE] LABEL=RUN_DIR [LABEL=RUN_DIR ...]
MEASURE: well_formed, used_tool, correct or answer_right (shares from each run's report.json);
each bar group is one run, each bar one (set, measure)."""
import json
import os
import sys

from chart import draw
from eval_rows import labelled_runs, write_results

if len(sys.argv) < 5:
    sys.exit(__doc__)
out, title, measures = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
runs = labelled_runs(sys.argv[4:], "eval_table.py")
reports = {}
for label, run in runs:
    path = os.path.join(run, "report.json")
    if not os.path.exists(path):
        sys.exit(f"eval_table.py: {path} is missing; did the evaluation run?")
    with open(path) as f:
        reports[label] = json.load(f)
sets = list(next(iter(reports.values())).keys())


def measured(row, m):
    # answer_right only means something for sets whose data names the short answer.
    return row.get(m) is not None and (m != "answer_right" or row.get("with_answer", 0) > 0)


table = {label: {s: {m: round(100 * r[s][m], 1) for m in measures if measured(r[s], m)}
                 for s in sets} for label, r in reports.items()}
write_results(out, {"runs": dict(runs), "percent": table})
series = []
for s in sets:
    for m in measures:
        if all(m in table[label][s] for label, _ in runs):
            series.append({"label": f"{s.split('[')[0]} {m.replace('_', ' ')}",
                           "values": [table[label][s][m] for label, _ in runs]})
spec = {"kind": "bar", "title": title, "y_label": "% of held-out questions", "y_max": 100,
        "groups": [label for label, _ in runs], "series": series}
draw(spec, os.path.join(out, "chart.svg"))
for label, _ in runs:
    for s in sets:
        print(f"{label:>14} {s:>28}: " + ", ".join(f"{m} {v}%" for m, v in table[label][s].items()))
