#!/usr/bin/env bash
# RL raises pass@1: GRPO from the tiny speedrun's assistant (run when missing, about 14
# minutes), then about 23 minutes of RL on two cores.
#   experiments/rl-pass-at-1/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
sft=runs/speedrun-tiny/latest/sft/checkpoints/last.h5
if [[ ! -e $sft ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
run=runs/exp-rl-pass-at-1/run
[[ -f $run/run.json ]] && grep -q '"complete"' $run/run.json ||
  "$forge" run "$here/rl.yaml" init=$sft --run-dir $run --overwrite
python3 "$here/analyze.py" $run "$here"
