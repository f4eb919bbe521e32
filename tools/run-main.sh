#!/usr/bin/env bash
# The main job: LeNet-5 on Fashion-MNIST's 10,000 test images, float against bit-exact fixed
# point. Extra arguments go to `accelctl eval` (e.g. --wbits 8 --abits 8, or -j first for JSON).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/tools/build.sh" >&2
global=()
while [ $# -gt 0 ] && [[ "$1" == -j || "$1" == -p ]]; do global+=("$1"); shift; done
exec "$top/build/tools/accelctl/accelctl" "${global[@]}" eval "$@"
