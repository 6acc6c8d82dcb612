#!/usr/bin/env bash
# Tokenizer speed beside its peers, in one run on one machine:
#   experiments/tokenizer-speed/run.sh [CORPUS_DIR]      (default: data/english)
# CORPUS_DIR holds english-100M.txt and heldout.txt (scripts/data/english-corpus.sh writes
# them from Debian packages).
#  1. Encoding, one thread, cl100k_base, the whole 105 MB: forge's bpe against tiktoken's Rust
#     core through Node (npm @anysphere/tiktoken-node and tiktoken-rs-node-linux-x64-gnu,
#     installed into .cache/tiktoken-peers), ids compared byte for byte.
#  2. Training, vocabulary 32768, 2 threads: forge's tokenizer stage against Debian's spm_train
#     (sentencepiece, BPE with byte fallback); wall time, peak memory, and compression on the
#     held-out text (UTF-8 bytes per token) of each.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/experiments/tokenizer-speed
corpus=${1:-$repo/data/english}
build=${BUILD_DIR:-$repo/build}
train=$corpus/english-100M.txt
heldout=$corpus/heldout.txt
[[ -f $train && -f $heldout ]] || { echo "run.sh: no corpus in $corpus; run scripts/data/english-corpus.sh" >&2; exit 2; }
[[ -x $build/bin/forge_bench_encode ]] || { echo "run.sh: build forge first (scripts/dev.sh test)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

peers=$repo/.cache/tiktoken-peers
if [[ ! -d $peers/node_modules/@anysphere/tiktoken-node ]]; then
  mkdir -p "$peers"
  (cd "$peers" && npm install --silent --no-audit --no-fund --loglevel=error \
    @anysphere/tiktoken-node@0.2.1 tiktoken-rs-node-linux-x64-gnu@1.0.6 >/dev/null)
fi
command -v spm_train >/dev/null || { echo "run.sh: spm_train is missing: apt-get install sentencepiece" >&2; exit 2; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; forge $(git -C "$repo" rev-parse --short HEAD)"
echo "corpus: $(stat -c %s "$train") bytes, held out $(stat -c %s "$heldout") bytes"
echo
echo "== encode, cl100k_base, one thread (best of 3)"
FORGE_THREADS=1 "$build/bin/forge_bench_encode" cl100k_base "$train" "$work/forge.ids"
for engine in anysphere tiktoken-rs; do
  NODE_PATH=$peers/node_modules node "$here/encode_tiktoken.js" cl100k_base "$train" \
    "$work/$engine.ids" "$engine"
  if cmp -s "$work/forge.ids" "$work/$engine.ids"; then echo "  ids identical to forge's"; else echo "  IDS DIFFER from forge's"; fi
done

echo
echo "== train, vocabulary 32768, 2 threads"
cat >"$work/tok.yaml" <<RECIPE
stage: tokenizer
name: bench
input: {plugin: text_files, paths: ['$train'], mode: file}
heldout: {plugin: text_files, paths: ['$heldout'], mode: file}
heldout_fraction: 0
heldout_bytes: 100000000
vocab_size: 32768
pattern: cl100k_base
compare: [gpt2, cl100k_base]
RECIPE
/usr/bin/time -f "forge: %e s wall, peak RSS %M KB" env FORGE_THREADS=2 \
  "$build/bin/forge" run "$work/tok.yaml" --run-dir "$work/forge-run" 2>&1 |
  grep -E "compression|tokens in|wall"
/usr/bin/time -f "spm_train: %e s wall, peak RSS %M KB" spm_train --input="$train" \
  --model_prefix="$work/spm" --vocab_size=32768 --model_type=bpe --byte_fallback=true \
  --character_coverage=0.9995 --normalization_rule_name=identity --add_dummy_prefix=false \
  --remove_extra_whitespaces=false --split_digits=true --max_sentence_length=1000000 \
  --num_threads=2 2>&1 | grep -E "wall|Skipped"
spm_tokens=$(spm_encode --model="$work/spm.model" --output_format=id <"$heldout" | wc -w)
echo "spm_train compression on held-out text: $(echo "scale=3; $(stat -c %s "$heldout") / $spm_tokens" | bc) bytes per token ($spm_tokens tokens; spm encodes line by line, so newlines cost it nothing)"
