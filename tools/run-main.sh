#!/usr/bin/env bash
# The main job: LeNet-5 on Fashion-MNIST's 10,000 test images, run layer by layer as jobs on the
# emulated PYNQ-Z2 (IPs loaded by partial reconfiguration), every output code checked against
# the reference kernels; prints accuracy and the modeled timing. Extra arguments go to
# `accelctl run` (e.g. --wbits 8 --abits 8, --trace t.json, --device URI, or -j first for JSON).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/tools/build.sh" >&2
global=()
while [ $# -gt 0 ] && [[ "$1" == -j || "$1" == -p ]]; do global+=("$1"); shift; done
device=(--device emu:pynq-z2)
for a in "$@"; do [[ "$a" == --device* ]] && device=(); done
exec "$top/build/tools/accelctl/accelctl" "${global[@]}" run "${device[@]}" --check "$@"
