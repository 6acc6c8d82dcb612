#!/usr/bin/env bash
# Regurgitation: a base model recites documents it saw many times, not ones it saw once.
# Needs the tiny speedrun's curated data and tokenizer (runs it when missing, about 14
# minutes), then pretrains for about 7 minutes on two cores and probes 60 documents.
#   experiments/regurgitation/run.sh [SPEEDRUN_RUN] [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
speedrun=${1:-runs/speedrun-tiny/latest}
forge=${2:-build/bin/forge}
work=runs/exp-regurgitation/data
if [[ ! -e $speedrun/tokenizer/tokenizer.tiktoken && $# -eq 0 ]]; then
  scripts/data/warc-demo.sh
  "$forge" run recipes/speedrun/tiny.yaml
fi
python3 "$here/make_data.py" "$speedrun/data/output" "$work"
export FORGE_EXP_WORK=$work FORGE_EXP_TOKENIZER=$speedrun/tokenizer/tokenizer.tiktoken
[[ -f runs/exp-regurgitation/pretrain/run.json ]] &&
  grep -q '"complete"' runs/exp-regurgitation/pretrain/run.json ||
  "$forge" run "$here/pretrain.yaml" --run-dir runs/exp-regurgitation/pretrain --overwrite
python3 "$here/probe.py" "$forge" runs/exp-regurgitation/pretrain/checkpoints/step-00000500.h5 \
  "$work" "$here"
