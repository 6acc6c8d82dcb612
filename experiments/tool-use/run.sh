#!/usr/bin/env bash
# Tool use fixes counting and spelling: the same letter lessons fine-tuned from the tiny
# speedrun's base model, answered through the python tool or directly, then scored on
# held-out questions. About 8 minutes on two cores after the speedrun (run when missing).
#   experiments/tool-use/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
out=runs/exp-tool-use
base=runs/speedrun-tiny/latest/pretrain/checkpoints/last.h5
if [[ ! -e $base ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
done_run() { [[ -f $1/run.json ]] && grep -q '"complete"' "$1/run.json"; }
done_run $out/with-tool || "$forge" run "$here/sft.yaml" init=$base --run-dir $out/with-tool --overwrite
done_run $out/without-tool || "$forge" run "$here/sft.yaml" init=$base data.train.0.use_tool=false \
  data.val.0.use_tool=false --run-dir $out/without-tool --overwrite
done_run $out/eval-with-tool || "$forge" run "$here/eval.yaml" \
  init=$out/with-tool/checkpoints/step-00000400.h5 --run-dir $out/eval-with-tool --overwrite
done_run $out/eval-without-tool || "$forge" run "$here/eval.yaml" \
  init=$out/without-tool/checkpoints/step-00000400.h5 data.0.use_tool=false data.1.use_tool=false \
  'tools=[]' --run-dir $out/eval-without-tool --overwrite
python3 experiments/tools/eval_table.py "$here" "Held-out letter questions: right answers" \
  correct,answer_right "with the tool=$out/eval-with-tool" "without=$out/eval-without-tool"
