#!/usr/bin/env bash
# The quick start's two commands, and CI's:
#   scripts/dev.sh run [RECIPE] [key=value ...]  install, build, run a recipe (by default the
#                                                 tiny speedrun: web pages to a chat-able model)
#   scripts/dev.sh test                           install, build with tests, run every test
# Idempotent; works as root or as a user with sudo. BUILD_DIR overrides the build folder.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
DEFAULT_RECIPE=recipes/speedrun/tiny.yaml
PACKAGES=(
  build-essential cmake ninja-build pkg-config git file
  libyaml-cpp-dev libboost-dev libboost-program-options-dev nlohmann-json3-dev zlib1g-dev
  libhdf5-dev libopenblas-dev libgtest-dev libgmock-dev clang-format bible-kjv libpcre2-dev
  libcld2-dev publicsuffix libxml2-dev chromium libgmp-dev libopenmpi-dev openmpi-bin
)

install_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

build() {
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFORGE_BUILD_TESTS="$1" >/dev/null
  cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}

command=${1:-}
shift || true
case "$command" in
  run)
    install_packages
    # The tests are not needed to run a recipe; `test` adds them to the same build folder.
    build OFF
    recipe=${1:-$DEFAULT_RECIPE}
    shift || true
    # The speedrun and fineweb.yaml read the crawl warc-demo.sh packs (once); the King James
    # recipes the text kjv.sh writes (once) into data/kjv; recipes may name OpenAI's
    # encodings, whose ranks tokenizer-refs.sh fetches (once).
    [[ $recipe == *recipes/speedrun/tiny.yaml || $recipe == *recipes/data/fineweb.yaml ]] &&
      scripts/data/warc-demo.sh
    [[ $recipe == *recipes/pretrain/kjv* || $recipe == *recipes/rlhf/* ]] && scripts/data/kjv.sh
    scripts/data/tokenizer-refs.sh >/dev/null
    "$BUILD_DIR/bin/forge" run "$recipe" "$@"
    if [[ $recipe == *recipes/speedrun/tiny.yaml ]]; then
      echo "talk to it:  $BUILD_DIR/bin/forge chat runs/speedrun-tiny/latest/rl/checkpoints/last.h5 --tool python"
      echo "its report:  runs/speedrun-tiny/latest/report.html"
    fi
    ;;
  test)
    install_packages
    build ON
    # OpenAI's vocabularies and gpt-tokenizer's test cases, for the tokenizer tests (cached).
    scripts/data/tokenizer-refs.sh >/dev/null
    # OpenAI's Node client and playwright-core, for the forge serve tests (cached).
    tests/serve/install-js-packages.sh >/dev/null
    cd "$BUILD_DIR"
    exec ctest --output-on-failure --parallel "$(nproc)" --timeout 900
    ;;
  *)
    echo "usage: scripts/dev.sh run [RECIPE] [key=value ...] | scripts/dev.sh test" >&2
    exit 2
    ;;
esac
