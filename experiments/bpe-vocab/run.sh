#!/usr/bin/env bash
# BPE: vocabulary size against sequence length on real web text. Curates the demo crawl
# (recipes/data/fineweb.yaml), trains a tokenizer at each vocabulary size, and writes
# results.json and chart.svg here. About two minutes on two cores.
#   experiments/bpe-vocab/run.sh [FORGE]      (default build/bin/forge)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
forge=${1:-build/bin/forge}
out=runs/exp-bpe-vocab

scripts/data/warc-demo.sh
scripts/data/tokenizer-refs.sh >/dev/null
[[ -f $out/data/run.json ]] && grep -q '"complete"' "$out/data/run.json" ||
  "$forge" run recipes/data/fineweb.yaml --run-dir "$out/data" --overwrite
FORGE_EXP_DATA=$out/data "$forge" sweep "$here/tokenizer.yaml" \
  vocab_size=512,1024,2048,4096,8192,16384,32768 --sweep-dir "$out/sweep" --jobs 1
python3 "$here/summarize.py" "$out" "$here"
