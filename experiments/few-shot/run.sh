#!/usr/bin/env bash
# Few-shot prompting: the tiny speedrun's base model (its pretrain stage) given 0 to 8 examples
# of three patterns. Runs the speedrun first when its run is missing (about 14 minutes), then
# the probe (under a minute).
#   experiments/few-shot/run.sh [CHECKPOINT] [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
checkpoint=${1:-runs/speedrun-tiny/latest/pretrain/checkpoints/last.h5}
forge=${2:-build/bin/forge}
if [[ ! -e $checkpoint && $# -eq 0 ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
python3 "$here/probe.py" "$forge" "$checkpoint" runs/exp-few-shot "$here"
