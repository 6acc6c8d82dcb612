#!/usr/bin/env bash
# Computation spread over tokens: the same word problems fine-tuned from the tiny speedrun's
# base model with the working before the answer (steps) or the answer first, then scored on
# 200 held-out problems by the answer the reply states. About 7 minutes on two cores after the
# speedrun (run when missing).
#   experiments/step-by-step/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
out=runs/exp-step-by-step
base=runs/speedrun-tiny/latest/pretrain/checkpoints/last.h5
if [[ ! -e $base ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
done_run() { [[ -f $1/run.json ]] && grep -q '"complete"' "$1/run.json"; }
for style in steps answer_first; do
  done_run $out/$style || "$forge" run "$here/sft.yaml" init=$base data.train.0.style=$style \
    data.val.0.style=$style --run-dir $out/$style --overwrite
  done_run $out/eval-$style || "$forge" run "$here/eval.yaml" \
    init=$out/$style/checkpoints/step-00000400.h5 data.0.style=$style \
    --run-dir $out/eval-$style --overwrite
done
python3 "$here/analyze.py" "$here" "step by step=$out/eval-steps" "answer first=$out/eval-answer_first"
