#!/usr/bin/env bash
# Hallucination and refusal training, as one pipeline (experiments/hallucination/pipeline.yaml):
# about 15 minutes on two cores; `forge resume` continues an interrupted run.
#   experiments/hallucination/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
run=runs/exp-hallucination/run
if [[ -f $run/run.json ]]; then
  "$forge" resume $run
else
  "$forge" run "$here/pipeline.yaml" --run-dir $run
fi
python3 "$here/analyze.py" $run "$here"
