#!/usr/bin/env bash
# WARC reading speed on one thread, forge's warc reader beside warcio.js, in one run:
#   experiments/warc-speed/run.sh [SAMPLES_DIR]      (default: ../shared/data/warc)
# The Common Crawl excerpt (50 records: warcinfo, then request/response/metadata triples) is
# repeated 100 times into 5,000 records, as one gzip member per record (Common Crawl's layout),
# as one gzip stream for the whole file, and plain; the ClueWeb09 excerpt (29 EUC-JP pages of
# ~31 KB) 20 times. Needs forge_bench_warc: add_subdirectory(experiments/warc-speed) to the
# top-level CMakeLists.txt and build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/experiments/warc-speed
samples=${1:-$repo/../shared/data/warc}
build=${BUILD_DIR:-$repo/build}
[[ -f $samples/resiliparse-warcfile.warc.gz ]] || { echo "run.sh: no WARC samples in $samples" >&2; exit 2; }
[[ -x $build/bin/forge_bench_warc ]] || { echo "run.sh: build forge_bench_warc first (see the top of this file)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for _ in $(seq 100); do cat "$samples/resiliparse-warcfile.warc.gz"; done >"$work/cc-x100.warc.gz"
gzip -dc "$work/cc-x100.warc.gz" >"$work/cc-x100.warc"
gzip -6 -c "$work/cc-x100.warc" >"$work/cc-x100-one-stream.warc.gz"
for _ in $(seq 20); do cat "$samples/resiliparse-clueweb-quirk.warc.gz"; done >"$work/clueweb-x20.warc.gz"
inputs=("$work/cc-x100.warc.gz" "$work/cc-x100-one-stream.warc.gz" "$work/cc-x100.warc" "$work/clueweb-x20.warc.gz")

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; forge $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "== forge (best of 3)"
"$build/bin/forge_bench_warc" "${inputs[@]}"

peers=$repo/.cache/warcio-peer
if [[ ! -d $peers/node_modules/warcio ]]; then
  mkdir -p "$peers"
  (cd "$peers" && npm install --silent --no-audit --no-fund --loglevel=error warcio@2.4.11 >/dev/null) ||
    { echo "run.sh: npm could not install warcio; skipping the peer"; exit 0; }
fi
cp "$here/read_warcio.mjs" "$peers/"
echo
echo "== warcio.js $(node -p "require('$peers/node_modules/warcio/package.json').version") on node $(node --version) (best of 3)"
for input in "${inputs[@]}"; do node "$peers/read_warcio.mjs" "$input"; done
