#!/usr/bin/env bash
# The html_extract filter on the article-extraction benchmark, beside Readability.js:
#   experiments/article-extraction/run.sh [DATA_DIR]
# DATA_DIR: the benchmark (ground-truth.json, html/*.html.gz); default ../shared/data/... next
# to the checkout. Needs forge_bench_extract built (add
# `add_subdirectory(experiments/article-extraction)` to the top-level CMakeLists.txt) and, for
# the peer, node and npm (@mozilla/readability 0.6.0 and jsdom go into .cache/extract-peers).
#  1. Quality and speed of html_extract, one thread: the benchmark's own scoring, the worst
#     pages, the whole-page baseline, documents and MB per second alone and followed by the
#     quality filters of a FineWeb-style recipe.
#  2. Readability.js (the benchmark's readability_js) on the same pages, scored by the same
#     scorer, for the speed ratio.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/experiments/article-extraction
data=${1:-$repo/../shared/data/article-extraction-benchmark}
build=${BUILD_DIR:-$repo/build}
bench=$build/bin/forge_bench_extract
[[ -f $data/ground-truth.json ]] || { echo "run.sh: no benchmark in $data" >&2; exit 2; }
[[ -x $bench ]] || { echo "run.sh: build forge_bench_extract first (see the top of this file)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== html_extract"
steps=()
for step in url language gopher_repetition gopher_quality c4_quality fineweb_quality pii; do
  if "$build/bin/forge" plugins filter 2>/dev/null | grep -q "^  $step "; then
    steps+=(--step "{plugin: $step}")
  fi
done
"$bench" --data "$data" --repeat 5 --predictions "$work/html_extract.json" "${steps[@]}" \
  --step "{plugin: length, min_words: 50}"
for option in favor_precision favor_recall; do
  echo "-- $option=true"
  "$bench" --data "$data" --repeat 1 --option "$option=true" | grep '^html_extract'
done

echo "== Readability.js"
peers=$repo/.cache/extract-peers
if [[ ! -d $peers/node_modules/@mozilla/readability ]]; then
  mkdir -p "$peers"
  (cd "$peers" && npm install --silent --no-audit --no-fund --loglevel=error \
    @mozilla/readability@0.6.0 jsdom@26.1.0 >/dev/null)
fi
NODE_PATH=$peers/node_modules node "$here/readability_peer.js" "$data" "$work/readability_js.json"
"$bench" --data "$data" --score "$work/readability_js.json"
