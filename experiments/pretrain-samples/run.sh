#!/usr/bin/env bash
# Pretraining: the loss falls and samples go from noise to text. Reads the tiny speedrun's
# pretrain stage (runs the speedrun when it is missing, about 14 minutes on two cores).
#   experiments/pretrain-samples/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
run=runs/speedrun-tiny/latest/pretrain
if [[ ! -f $run/samples.jsonl ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
python3 "$here/analyze.py" $run "$here"
