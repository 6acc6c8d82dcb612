#!/usr/bin/env python3
"""Scores the step-by-step experiment's two evaluations by the answer each reply states ("The
answer is $N"), and looks inside the working: whether the first product copies the question's
numbers, and how many of the reply's equations are right. Writes results.json and chart.svg.
  analyze.py EXPERIMENT_FOLDER LABEL=EVAL_RUN [LABEL=EVAL_RUN ...]"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402
from eval_rows import final_reply, labelled_runs, percent, read_rows, write_results  # noqa: E402

OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "×": lambda a, b: a * b}
EQUATION = re.compile(r"(\d+) ([+×-]) (\d+) = (\d+)")


def score(path):
    rows = read_rows(path, "analyze.py")
    stated = copied = equations = right_equations = 0
    for r in rows:
        reply = final_reply(r)
        question = r["prompt"][-1]["content"]
        said = re.search(r"answer is \$?(\d+)", reply)
        stated += bool(said) and said.group(1) == r["metadata"]["answer"].lstrip("$")
        # "buys 2 oranges at $7 each": the first product should be 2 × 7.
        asked = re.search(r"(\d+) \w+ at \$(\d+) each", question)
        product = re.search(r"(\d+) × (\d+)", reply)
        copied += bool(asked and product) and asked.groups() == product.groups()
        for a, op, b, c in EQUATION.findall(reply):
            equations += 1
            right_equations += OPS[op](int(a), int(b)) == int(c)
    n = len(rows)
    return {"problems": n,
            "stated_answer_right": percent(stated, n),
            "answer_anywhere": percent(sum(bool(r["answer_right"]) for r in rows), n),
            "first_product_copied": percent(copied, n),
            "equations": equations,
            "equations_right": percent(right_equations, equations)}


here = sys.argv[1]
runs = labelled_runs(sys.argv[2:], "analyze.py")
table = {label: score(run) for label, run in runs}
write_results(here, {"runs": dict(runs), "percent": table})
measures = [("stated_answer_right", "stated answer right"),
            ("first_product_copied", "first product copies the question"),
            ("equations_right", "equations computed right")]
spec = {"kind": "bar", "title": "Held-out word problems, worked first or answered first",
        "y_label": "%", "y_max": 100, "groups": [label for label, _ in runs],
        "series": [{"label": name, "values": [table[label][key] for label, _ in runs]}
                   for key, name in measures]}
draw(spec, os.path.join(here, "chart.svg"))
for label, t in table.items():
    print(f"{label:>14}: stated answer right {t['stated_answer_right']}%, answer anywhere "
          f"{t['answer_anywhere']}%, first product copied {t['first_product_copied']}%, "
          f"{t['equations_right']}% of {t['equations']} equations right")
