#!/usr/bin/env bash
# Formats every C++/CUDA source in place with the repository's .clang-format.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
git ls-files -co --exclude-standard -- '*.h' '*.cpp' '*.cu' '*.cuh' | xargs -r clang-format -i
