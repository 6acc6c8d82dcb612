#!/usr/bin/env bash
# Installs the SDK into a fresh prefix, builds docs/examples/plugin against it with
# find_package(Forge) + forge_add_plugin(), and loads it through FORGE_PLUGIN_PATH.
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/docs/examples/plugin" -B "$work/plugin" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/plugin" >/dev/null
forge=$work/prefix/bin/forge

# The installed host finds its own plugins and, through FORGE_PLUGIN_PATH, the new one.
export FORGE_PLUGIN_PATH=$work/plugin
# (Read whole first: grep -q stops early, and under pipefail the writer's SIGPIPE would fail.)
listed=$("$forge" plugins)
grep -q "  length " <<<"$listed" || { echo "installed plugins not found"; exit 1; }
shown=$("$forge" plugins show filter/keyword)
echo "$shown"
grep -q "words  (list of strings; required)" <<<"$shown"

# And a data run uses it.
mkdir -p "$work/corpus"
printf 'A document about forging iron in a hot fire.\n' >"$work/corpus/a.txt"
printf 'A document with lorem ipsum placeholder text.\n' >"$work/corpus/b.txt"
cat >"$work/recipe.yaml" <<YAML
stage: data
input: {plugin: text_files, paths: ['$work/corpus/*.txt']}
steps: [{plugin: keyword, words: [Lorem Ipsum]}]
output: {plugin: jsonl, path: output}
YAML
"$forge" run "$work/recipe.yaml" --run-dir "$work/run"
grep -q '"keyword": 1' "$work/run/stats.json" || { cat "$work/run/stats.json"; exit 1; }
echo "out-of-tree plugin built, loaded and run"
