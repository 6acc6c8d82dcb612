#!/usr/bin/env python3
"""Charts the learned reward against the hidden judge through both RLHF runs of the pipeline,
and says where the hacking monitor first flagged each. Writes results.json and chart.svg.
  analyze.py PIPELINE_RUN EXPERIMENT_FOLDER"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from chart import draw  # noqa: E402
from eval_rows import write_results  # noqa: E402

if len(sys.argv) != 3:
    sys.exit(__doc__)
run, here = sys.argv[1], sys.argv[2]
KEYS = {"rm_score": "reward_model", "judge_score": "judge", "judge_se": "judge_se", "kl": "kl",
        "eval_response_tokens": "reply_tokens"}
results = {}
for stage in ("rlhf", "rlhf-overoptimised"):
    path = os.path.join(run, stage, "metrics.jsonl")
    if not os.path.exists(path):
        sys.exit(f"analyze.py: {path} is missing; did the pipeline's {stage} stage run?")
    with open(path) as f:
        evals = [r for r in map(json.loads, f) if "judge_score" in r]
    flagged = [r for r in evals if r.get("hacking")]
    best = max(evals, key=lambda r: r["judge_score"])
    results[stage] = {
        "evaluations": [{"step": r["step"], **{name: round(r[key], 3) for key, name in KEYS.items()
                                               if key in r}} for r in evals],
        "best_judge": {"step": best["step"], "judge": round(best["judge_score"], 3)},
        "first_flag": {"step": flagged[0]["step"], "verdict": flagged[0]["hacking"]} if flagged else None,
        "flagged_steps": [r["step"] for r in flagged]}
write_results(here, results)
spec = {"title": "RLHF against a learned reward model: its score and the hidden judge's",
        "x_label": "RLHF step", "y_label": "score",
        "series": [{"label": f"{stage}: {name.replace('_', ' ')}",
                    "points": [[e["step"], e[name]] for e in r["evaluations"]]}
                   for stage, r in results.items() for name in ("reward_model", "judge")]}
draw(spec, os.path.join(here, "chart.svg"))
for stage, r in results.items():
    e, best = r["evaluations"], r["best_judge"]
    print(f"{stage}: judge {e[0]['judge']} at step 0, best {best['judge']} at step {best['step']}, "
          f"last {e[-1]['judge']} at step {e[-1]['step']}; reward model {e[0]['reward_model']} -> "
          f"{e[-1]['reward_model']}; KL {e[-1]['kl']}; monitor flagged steps {r['flagged_steps'] or 'none'}")
