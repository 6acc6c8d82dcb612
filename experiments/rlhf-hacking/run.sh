#!/usr/bin/env bash
# RLHF reward hacking, as one pipeline (experiments/rlhf-hacking/pipeline.yaml): about 40
# minutes on two cores; rerunning continues an interrupted run.
#   experiments/rlhf-hacking/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
scripts/data/kjv.sh
run=runs/exp-rlhf-hacking/run
if [[ -f $run/run.json ]]; then
  "$forge" resume $run
else
  "$forge" run "$here/pipeline.yaml" --run-dir $run
fi
python3 "$here/analyze.py" $run "$here"
