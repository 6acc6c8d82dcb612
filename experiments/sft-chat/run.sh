#!/usr/bin/env bash
# SFT turns a base model into an assistant: the tiny speedrun's model before (pretrain) and
# after fine-tuning (sft), asked the same held-out questions through the chat template. Runs
# the speedrun when missing (about 14 minutes); the two evaluations take about 2 minutes.
#   experiments/sft-chat/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
out=runs/exp-sft-chat
speedrun=runs/speedrun-tiny/latest
if [[ ! -e $speedrun/sft/checkpoints/last.h5 ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
for stage in pretrain sft; do
  "$forge" run "$here/eval.yaml" init=$speedrun/$stage/checkpoints/last.h5 \
    --run-dir $out/$stage --overwrite
done
python3 experiments/tools/eval_table.py "$here" "Held-out chats before and after SFT" \
  well_formed,correct "base model=$out/pretrain" "after SFT=$out/sft"
