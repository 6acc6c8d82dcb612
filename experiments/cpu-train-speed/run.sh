#!/usr/bin/env bash
# Training throughput of forge's CPU path beside llm.c's CPU trainer (train_gpt2.c), in one
# run on one machine, same thread count, same shapes (B 4, T 64, vocabulary 50257 padded to
# 50304): GPT-2 124M and a 4-layer, 256-wide model.
#   experiments/cpu-train-speed/run.sh LLMC_DIR [THREADS] [ROUNDS]
# LLMC_DIR holds llm.c's train_gpt2, built by its own Makefile, and one folder per shape,
# small/ and 124M/, each with the files train_gpt2 reads (gpt2_124M.bin with random weights,
# gpt2_tokenizer.bin, dev/data/tinyshakespeare/*.bin); docs/benchmarks.md says how to make
# them. Rounds alternate the two programs so that drift of the machine hits both.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
llmc=${1:?usage: run.sh LLMC_DIR [THREADS] [ROUNDS]}
threads=${2:-2}
rounds=${3:-1}
bench=${BENCH:-$repo/build/bin/forge_bench_train}
[[ -x $llmc/train_gpt2 ]] || { echo "run.sh: no $llmc/train_gpt2; build llm.c first" >&2; exit 2; }
[[ -x $bench ]] || { echo "run.sh: no $bench; build forge first (scripts/dev.sh test)" >&2; exit 2; }

# Median of the step times after the first two (which touch fresh memory), in ms.
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

llmc_round() {  # shape -> "median_ms peak_rss_mb"
  local dir=$llmc/$1 log
  log=$(mktemp)
  (cd "$dir" && OMP_NUM_THREADS=$threads /usr/bin/time -f "rss %M" "$llmc/train_gpt2" >"$log" 2>&1)
  local ms rss
  ms=$(awk '/^step [0-9]+: train loss/ {s=$2; sub(":","",s); if (s+0 >= 2) {print $(NF-1)}}' "$log" |
    median)
  [[ -n $ms ]] || { echo "run.sh: llm.c printed no step times:" >&2; tail "$log" >&2; exit 1; }
  rss=$(awk '/^rss/ {printf "%.0f", $2/1024}' "$log")
  rm -f "$log"
  echo "$ms $rss"
}

forge_round() {  # shape, extra env -> "median_ms peak_rss_mb"
  local shape=$1
  shift
  local args=(--steps 12)
  [[ $shape == small ]] && args+=(--layers 4 --heads 4 --width 256)
  local line
  line=$(env "$@" FORGE_THREADS="$threads" "$bench" "${args[@]}")
  echo "$line" | sed -E 's/.*median step ([0-9.]+) ms.*peak RSS ([0-9]+) MB.*/\1 \2/'
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $threads threads; $(git -C "$repo" rev-parse --short HEAD)"
echo "OpenBLAS kernels: auto-detected, and as OPENBLAS_CORETYPE=Haswell forces them"
printf "%-6s %5s %14s %14s %14s %8s %8s\n" shape round "llm.c ms" "forge ms" "forge-hsw ms" ratio "hsw-ratio"
for shape in small 124M; do
  for ((round = 1; round <= rounds; round++)); do
    read -r l_ms l_rss < <(llmc_round "$shape")
    read -r f_ms f_rss < <(forge_round "$shape" -u OPENBLAS_CORETYPE)
    read -r h_ms _ < <(forge_round "$shape" OPENBLAS_CORETYPE=Haswell)
    printf "%-6s %5d %14.1f %14.1f %14.1f %7.2fx %7.2fx   (peak RSS llm.c %s MB, forge %s MB)\n" \
      "$shape" "$round" "$l_ms" "$f_ms" "$h_ms" "$(echo "$l_ms / $f_ms" | bc -l)" \
      "$(echo "$l_ms / $h_ms" | bc -l)" "$l_rss" "$f_rss"
  done
done
echo "tokens per step: 256 (B 4 x T 64); tok/s = 256000 / ms"
