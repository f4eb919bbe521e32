#!/usr/bin/env bash
# Installs, builds and runs every test suite (all CTest labels, the slow ones included).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/tools/build.sh"
cd "$top/build"
ctest --output-on-failure --timeout 1800 "$@"
