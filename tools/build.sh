#!/usr/bin/env bash
# Installs the Debian packages, then configures and builds zaccel in build/ (warnings as errors).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/tools/install-deps.sh"
cmake -S "$top" -B "$top/build" -G Ninja -DZACCEL_WERROR=ON
cmake --build "$top/build" --parallel
