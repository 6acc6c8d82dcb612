#!/usr/bin/env python3
"""Right answers on the held-out letter questions of each evaluation, and for the runs with the
tool how often the question's word reaches the tool call unchanged and how often the tool's
output is the right answer. Writes results.json and chart.svg.
  analyze.py EXPERIMENT_FOLDER LABEL=EVAL_RUN [LABEL=EVAL_RUN ...]"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402
from eval_rows import labelled_runs, percent, read_rows, write_results  # noqa: E402

SETS = {"letter_questions[0]": "counts", "letter_questions[1]": "all kinds"}


def score(path):
    rows = read_rows(path, "analyze.py")
    out = {}
    for key, name in SETS.items():
        chats = [r for r in rows if r["set"] == key]
        right = sum(bool(r["answer_right"]) for r in chats)
        calls = copied = tool_right = 0
        for r in chats:
            word = re.search(r'"([^"]+)"', r["prompt"][-1]["content"])
            call = next((m["tool_calls"][0]["function"]["arguments"] for m in r["reply"]
                         if m.get("tool_calls")), None)
            if call is not None and word:
                calls += 1
                copied += f'"{word.group(1)}"' in call
                output = next((m["content"] for m in r["reply"] if m["role"] == "tool"), "")
                tool_right += output.strip() == r["metadata"]["answer"]
        out[name] = {"questions": len(chats), "right": percent(right, len(chats)),
                     "tool_calls": calls, "word_copied": percent(copied, calls),
                     "tool_output_right": percent(tool_right, calls)}
    return out


here = sys.argv[1]
runs = labelled_runs(sys.argv[2:], "analyze.py")
table = {label: score(run) for label, run in runs}
write_results(here, {"runs": dict(runs), "percent": table})
series = [{"label": f"{name}: right answer", "values": [table[label][name]["right"] for label, _ in runs]}
          for name in SETS.values()]
series.append({"label": "counts: word copied into the tool call",
               "values": [table[label]["counts"]["word_copied"] for label, _ in runs]})
series.append({"label": "counts: the tool's output right",
               "values": [table[label]["counts"]["tool_output_right"] for label, _ in runs]})
spec = {"kind": "bar", "title": "Held-out letter questions, with and without the python tool",
        "y_label": "%", "y_max": 100, "groups": [label for label, _ in runs], "series": series}
draw(spec, os.path.join(here, "chart.svg"))
for label, t in table.items():
    print(f"{label:>22}: " + "; ".join(
        f"{name} right {v['right']}%" + (f", word copied {v['word_copied']}%, tool's output right "
                                         f"{v['tool_output_right']}%" if v["tool_calls"] else "")
        for name, v in t.items()))
