#!/usr/bin/env bash
# End to end under QEMU: the guest kernel from linux-source-6.12 (build_kernel.sh), zaccel.ko
# built against it and loaded in its no-hardware test mode, probed from the PYNQ-Z2 overlay
# merged onto base.dts, and the conformance suite run there through libaccel's kernel backend
# (libdrm, the node found with libudev): the same tests that run on the emulator. The guest
# kernel runs lockdep (kernel.config), and the run fails if its console shows any splat
# (splat_check.sh): a lockdep or dma_fence signalling report, a WARN, a BUG or an oops.
# Usage: conformance_check.sh CACHE_DIR CONFORMANCE_TESTS OVERLAY.dtbo
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=$1 tests=$2 dtbo=$3
log=${ZACCEL_QEMU_LOG:-}
tree=$("$here/build_kernel.sh" "$cache" | tail -n 1)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$top/driver" "$top/uapi" "$work/"
if ! make -C "$tree" M="$work/driver" W=1 modules >"$work/build.log" 2>&1; then
	cat "$work/build.log"
	echo "FAIL: zaccel.ko does not build against the guest kernel"
	exit 1
fi
# Jobs of 20 ms: long enough that two slots' jobs overlap however late TCG starts the second.
"$here/initramfs.sh" -o "$work/initrd.gz" -m "$work/driver/zaccel.ko no_hw=1 no_hw_job_us=20000" \
	-e ZACCEL_CONFORMANCE_BACKEND=kernel "$tests" --gtest_color=no
set +e
"$here/run_qemu.sh" -t 600 -l "$work/console.log" -o "$dtbo" \
	"$tree/arch/x86/boot/bzImage" "$work/initrd.gz" >/dev/null
status=$?
set -e
# ZACCEL_QEMU_LOG=FILE keeps the guest's console.
[ -z "$log" ] || cp "$work/console.log" "$log"
if [ "$status" -eq 0 ]; then
	tr -d '\r' <"$work/console.log" | grep -E '^\[  (PASSED|SKIPPED) |zaccel' || true
else
	tr -d '\r' <"$work/console.log" | tail -n 300
fi
# After the suite's own result, so that both are reported; either fails the test (77: QEMU
# is missing and nothing ran).
if [ "$status" -ne 77 ] && ! "$here/splat_check.sh" -l "$work/console.log"; then
	status=1
fi
exit $status
