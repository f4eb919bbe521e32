#!/usr/bin/env bash
# zaccel.ko for 32-bit ARM, the PYNQ-Z2's architecture: built with W=1 and sparse against the
# Zynq kernel of build_arm_kernel.sh (cached in CACHE_DIR) and linked with nothing undefined,
# so that a plain 64-bit division (__aeabi_uldivmod, which ARM kernels do not export) or a
# 32-bit-only warning fails here rather than on the board.
# With `plant-division`, checks the check instead: a u64 / u32 division planted into a scratch
# copy of the driver must fail it, naming __aeabi_uldivmod.
# Usage: arm_build_check.sh CACHE_DIR REPO_TOP [plant-division]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
top=$(realpath "$2")
mode=${3:-}
export ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
"$here/build_arm_kernel.sh" "$cache" >"$work/kernel.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	cat "$work/kernel.log"
	exit "$status"
fi
tree=$(tail -n 1 "$work/kernel.log")
tail -n 2 "$work/kernel.log" | head -n 1

if [ -z "$mode" ]; then
	"$here/module_build_check.sh" "$top" "$tree" || status=$?
	exit "$status"
fi
[ "$mode" = plant-division ] || { echo "usage: $0 CACHE_DIR REPO_TOP [plant-division]"; exit 2; }

# The planted function has a prototype and is exported, so that W=1 stays quiet and the
# division is not optimised away: only the link can object.
mkdir "$work/top"
cp -r "$top/driver" "$top/uapi" "$work/top/"
cat >>"$work/top/driver/zaccel_ip.c" <<'PLANT'

#include <linux/export.h>

u64 zaccel_planted_div(u64 n, u32 d);
u64 zaccel_planted_div(u64 n, u32 d)
{
	return n / d;
}
EXPORT_SYMBOL_GPL(zaccel_planted_div);
PLANT
status=0
"$here/module_build_check.sh" "$work/top" "$tree" >"$work/check.log" 2>&1 || status=$?
cat "$work/check.log"
if [ "$status" -eq 0 ]; then
	echo "FAIL: a planted u64 / u32 division passed the ARM check"
	exit 1
fi
if ! grep -q 'undefined symbols .*__aeabi_uldivmod' "$work/check.log" ||
	! grep -q ' 0 warnings' "$work/check.log"; then
	echo "FAIL: the ARM check failed on the planted division, but not for __aeabi_uldivmod alone"
	exit 1
fi
echo "OK: the planted u64 / u32 division fails the ARM check (__aeabi_uldivmod undefined)"
