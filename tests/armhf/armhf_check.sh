#!/usr/bin/env bash
# 32-bit ARM userspace (armhf, the Zynq-7000's Cortex-A9): libaccel, accelctl and the test
# suites cross-built with Debian's arm-linux-gnueabihf-g++ against the armhf sysroot of
# tools/install-deps.sh (cmake/toolchain-armhf.cmake, warnings as errors), run under qemu-arm.
# Usage: armhf_check.sh SOURCE_DIR BUILD_DIR STEP [HOST_ACCELCTL]
#   build        configure BUILD_DIR once, then build unit_tests, conformance_tests and accelctl
#                (incremental on later runs)
#   unit         the unit suite under qemu-arm: its pass count
#   conformance  the conformance suite under qemu-arm (the emulator backend): its pass count
#   accelctl     `accelctl run --check` of 1,000 test images under qemu-arm, each image's output
#                codes and logits written out (--dump) and compared byte for byte with those of
#                HOST_ACCELCTL (x86-64) on the same images
# Exits 77 (skipped) without the cross compiler, qemu-arm, the sysroot or the dataset.
set -u
src=$(realpath "$1")
build=$2
step=$3
host_accelctl=${4:-}
sysroot=${ZACCEL_ARMHF_SYSROOT:-/opt/zaccel/armhf/root}
data=/usr/share/datasets/fashion-mnist
images=1000

for tool in arm-linux-gnueabihf-g++ qemu-arm cmake ninja; do
	command -v "$tool" >/dev/null || { echo "SKIP: no $tool (tools/install-deps.sh)"; exit 77; }
done
[ -f "$sysroot/.zaccel-packages" ] || { echo "SKIP: no armhf sysroot in $sysroot (tools/install-deps.sh)"; exit 77; }
qemu=(qemu-arm -L "$sysroot")
now() { date +%s%N; }
since() { # seconds since $1 (from now), one decimal
	local ds=$((($(now) - $1) / 100000000))
	echo "$((ds / 10)).$((ds % 10))"
}

# gtest_suite NAME: runs BUILD_DIR/tests/NAME under qemu-arm in one process, prints its counts.
gtest_suite() {
	local bin=$build/tests/$1 t0 rc
	[ -x "$bin" ] || { echo "SKIP: $bin not built (the armhf_build test builds it)"; exit 77; }
	t0=$(now)
	"${qemu[@]}" "$bin" --gtest_brief=1 >"$build/$1.log" 2>&1
	rc=$?
	# --gtest_brief: failures in full; a skip as FILE:LINE: Skipped, then its reason.
	grep -E '^\[  FAILED  \] [A-Za-z]' "$build/$1.log" | head -n 40
	grep -A1 ': Skipped$' "$build/$1.log" | grep -v -e ': Skipped$' -e '^--$' | sort | uniq -c |
		sed 's/^ *\([0-9]*\) /skipped \1: /'
	local passed failed skipped
	passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\.$/\1/p' "$build/$1.log")
	skipped=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) tests\?[.,].*$/\1/p' "$build/$1.log")
	failed=$(sed -n 's/^ *\([0-9]*\) FAILED TESTS\?$/\1/p' "$build/$1.log")
	echo "armhf $1 under qemu-arm: ${passed:-0} passed, ${skipped:-0} skipped," \
		"${failed:-0} failed ($(since "$t0") s)"
	if [ "$rc" -ne 0 ] || [ -z "$passed" ]; then
		tail -n 20 "$build/$1.log"
		exit 1
	fi
}

case $step in
build)
	t0=$(now)
	if [ ! -f "$build/build.ninja" ]; then
		# Release: the main build's -O3 without its debug info (quicker to compile).
		mkdir -p "$build"
		cmake -S "$src" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-armhf.cmake" \
			-DCMAKE_BUILD_TYPE=Release -DZACCEL_WERROR=ON >"$build/configure.log" 2>&1 ||
			{ cat "$build/configure.log"; exit 1; }
	fi
	# Two jobs: the main build and other suites share the machine.
	nice -n 10 cmake --build "$build" --target unit_tests conformance_tests accelctl --parallel 2 ||
		exit 1
	# 32-bit ARM, hard float, and the kernel backend linked in (libdrm, libudev).
	lib=$build/libaccel/libaccel.so.1
	header=$(readelf -h "$lib")
	if ! grep -Eq 'Class: +ELF32' <<<"$header" || ! grep -Eq 'Machine: +ARM' <<<"$header" ||
		! grep -q 'hard-float ABI' <<<"$header"; then
		echo "FAIL: $lib is not a 32-bit ARM hard-float object"
		exit 1
	fi
	for need in libdrm.so.2 libudev.so.1; do
		readelf -d "$lib" | grep -q "Shared library: \[$need\]" ||
			{ echo "FAIL: $lib does not link $need (the kernel backend)"; exit 1; }
	done
	echo "armhf build: $(since "$t0") s (unit_tests, conformance_tests, accelctl in $build)"
	;;
unit | conformance)
	gtest_suite "${step}_tests"
	;;
accelctl)
	[ -d "$data" ] || { echo "SKIP: no $data"; exit 77; }
	[ -x "$build/tools/accelctl/accelctl" ] || { echo "SKIP: armhf accelctl not built"; exit 77; }
	[ -x "$host_accelctl" ] || { echo "FAIL: no host accelctl '$host_accelctl'"; exit 1; }
	t0=$(now)
	"${qemu[@]}" "$build/tools/accelctl/accelctl" run --device emu:pynq-z2 --check \
		--limit "$images" --dump "$build/codes-armhf.txt" >"$build/run-armhf.txt" || {
		cat "$build/run-armhf.txt"
		exit 1
	}
	echo "armhf accelctl run --check --limit $images under qemu-arm ($(since "$t0") s):"
	grep -E 'accuracy|codes unlike|modeled latency' "$build/run-armhf.txt"
	"$host_accelctl" run --device emu:pynq-z2 --check --limit "$images" \
		--dump "$build/codes-x86_64.txt" >/dev/null || exit 1
	lines=$(wc -l <"$build/codes-armhf.txt")
	[ "$lines" -eq "$images" ] || { echo "FAIL: the armhf dump holds $lines images"; exit 1; }
	if ! cmp "$build/codes-x86_64.txt" "$build/codes-armhf.txt"; then
		echo "FAIL: armhf and x86-64 outputs differ; first differing image:"
		diff "$build/codes-x86_64.txt" "$build/codes-armhf.txt" | head -n 4
		exit 1
	fi
	echo "bit-identical: output codes and logits of $images images, x86-64 and armhf" \
		"($(wc -c <"$build/codes-armhf.txt") bytes, sha256 $(sha256sum <"$build/codes-armhf.txt" | cut -c1-16))"
	;;
*)
	echo "usage: $0 SOURCE_DIR BUILD_DIR build|unit|conformance|accelctl [HOST_ACCELCTL]"
	exit 2
	;;
esac
