#!/usr/bin/env bash
# Tool use fixes counting and spelling: the same letter lessons fine-tuned from two base models,
# answered through the python tool or directly, then scored on held-out questions. About 34
# minutes on two cores after the speedrun (run when missing), the byte base's pretraining
# included.
#   experiments/tool-use/run.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
out=runs/exp-tool-use
# Two base models: the speedrun's (BPE tokens, documentation text) and kjv-chat-tiny (bytes,
# the King James Bible), which BYTE_BASE may name instead of pretraining it here.
base=runs/speedrun-tiny/latest/pretrain/checkpoints/last.h5
if [[ ! -e $base ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
byte_base=${BYTE_BASE:-$out/bytes-base/checkpoints/step-00001000.h5}
if [[ ! -e $byte_base ]]; then
  scripts/data/kjv.sh
  "$forge" run recipes/pretrain/kjv-chat-tiny.yaml --run-dir $out/bytes-base --overwrite
fi
done_run() { [[ -f $1/run.json ]] && grep -q '"complete"' "$1/run.json"; }
# prefix:checkpoint:steps. The byte base gets 1,000 steps: in 400 it did not learn to copy the
# question's word into the call (README).
for spec in ":$base:400" "bytes-:$byte_base:1000"; do
  IFS=: read -r prefix init steps <<< "$spec"
  p=$out/$prefix last=$(printf 'step-%08d.h5' "$steps")
  train=(train.steps=$steps checkpoint.every=$steps)
  done_run ${p}with-tool || "$forge" run "$here/sft.yaml" init=$init "${train[@]}" \
    --run-dir ${p}with-tool --overwrite
  done_run ${p}without-tool || "$forge" run "$here/sft.yaml" init=$init "${train[@]}" \
    data.train.0.use_tool=false data.val.0.use_tool=false --run-dir ${p}without-tool --overwrite
  done_run ${p}eval-with-tool || "$forge" run "$here/eval.yaml" \
    init=${p}with-tool/checkpoints/$last --run-dir ${p}eval-with-tool --overwrite
  done_run ${p}eval-without-tool || "$forge" run "$here/eval.yaml" \
    init=${p}without-tool/checkpoints/$last data.0.use_tool=false data.1.use_tool=false \
    'tools=[]' --run-dir ${p}eval-without-tool --overwrite
done
python3 "$here/analyze.py" "$here" "speedrun base, tool=$out/eval-with-tool" \
  "speedrun base, no tool=$out/eval-without-tool" "byte base, tool=$out/bytes-eval-with-tool" \
  "byte base, no tool=$out/bytes-eval-without-tool"
