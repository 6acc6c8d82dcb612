#!/usr/bin/env bash
# Installs the npm packages that the serve tests drive `forge serve` with:
#   tests/serve/install-js-packages.sh
# OpenAI's official client (openai) and playwright-core (which drives Debian's chromium), at the
# versions pinned below, into ${FORGE_CACHE:-<repo>/.cache}/serve-js/node_modules. Skips the
# install when both are there at their versions. Prints the folder alone on stdout.
# Needs npm (installs Debian's npm package when it is missing, with sudo unless root).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${FORGE_CACHE:-$repo/.cache}/serve-js
# Both packages have no dependencies of their own; npm checks each tarball's integrity.
readonly -A kVersions=([openai]=6.49.0 [playwright-core]=1.65.1)

say() { echo "install-js-packages.sh: $*" >&2; }

installed() {
  local name
  for name in "${!kVersions[@]}"; do
    [[ -f $out/node_modules/$name/package.json ]] || return 1
    [[ $(node -p "require('$out/node_modules/$name/package.json').version") == "${kVersions[$name]}" ]] ||
      return 1
  done
}

if installed; then
  say "$out is up to date"
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

specs=()
for name in "${!kVersions[@]}"; do specs+=("$name@${kVersions[$name]}"); done
mkdir -p "$out"
say "installing ${specs[*]} into $out"
(cd "$out" && npm install --save-exact --ignore-scripts --no-audit --no-fund --loglevel=error \
  --update-notifier=false "${specs[@]}" >&2)
installed || { say "the install did not leave ${specs[*]} in $out/node_modules"; exit 1; }
echo "$out"
