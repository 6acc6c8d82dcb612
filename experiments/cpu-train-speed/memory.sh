#!/usr/bin/env bash
# Peak memory and speed of one pretraining shape (gpt2, 6 layers, d_model 256, T 256,
# micro-batch 16, 30 steps) four ways, one after another: as it is, with train.recompute, in
# bf16, and both. Peak memory is the process's maximum resident set (GNU time).
#   experiments/cpu-train-speed/memory.sh [FORGE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
forge=$(realpath "${1:-$here/../../build/bin/forge}")
work=$here/../../build/cpu-memory
mkdir -p "$work" && cd "$work"
cat >memory.yaml <<'YAML'
stage: pretrain
name: memory
tokenizer: {plugin: bytes}
data:
  train: {plugin: text, paths: ['/usr/share/common-licenses/[A-F]*']}
model: {plugin: gpt2, n_layer: 6, n_head: 4, d_model: 256, context: 256}
optimizer: {lr: 1.0e-3}
train: {steps: 30, micro_batch: 16}
YAML
for variant in plain recompute bf16 bf16-recompute; do
  args=()
  [[ $variant == *recompute* ]] && args+=(train.recompute=true)
  [[ $variant == bf16* ]] && args+=(precision=bf16)
  rm -rf "run-$variant"
  /usr/bin/time -v "$forge" --log-level warning run memory.yaml --run-dir "run-$variant" \
    "${args[@]}" 2>"time-$variant.txt" >/dev/null
  rss=$(awk '/Maximum resident/ {print $NF}' "time-$variant.txt")
  python3 - "$variant" "$rss" "run-$variant/metrics.jsonl" <<'PY'
import json, statistics, sys
variant, rss, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [json.loads(line) for line in open(path)]
tps = statistics.median(r["tok_per_s"] for r in rows[5:])
print(f"{variant:>15}: peak RSS {rss / 1024:.0f} MiB, {tps:.0f} tok/s (median of steps 6-30), "
      f"loss {rows[0]['loss']:.4f} -> {rows[-1]['loss']:.4f}")
PY
done
