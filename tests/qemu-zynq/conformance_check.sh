#!/usr/bin/env bash
# zaccel.ko on 32-bit ARM under QEMU's xilinx-zynq-a9: the ARM kernel of
# tests/kernel/build_arm_kernel.sh (the tree driver_build_arm links against, with lockdep),
# the ZC702 base tree with the PYNQ-Z2 overlay merged, zaccel.ko built against the tree with
# W=1 and loaded in its no-hardware test mode, then in the guest:
#  1. pcap_probe.ko: one partial through the Zynq's own FPGA manager (devcfg); reports whether
#     QEMU's devcfg model lets it complete (it does not: see tests/qemu-zynq/README.md);
#  2. accel_probe: a static armhf client of the accel node (open, version, params, a BO);
#  3. PROGRAM [ARG]... if given and built, e.g. the armhf conformance suite through libaccel's
#     kernel backend (ZACCEL_CONFORMANCE_BACKEND=kernel); skipped with a note if PROGRAM is
#     not there (the armhf build is separate).
# The console is then checked for lockdep, fence and other kernel splats. PROGRAM's shared
# libraries come from the armhf sysroot ($ZACCEL_ARMHF_SYSROOT, default /opt/zaccel/armhf/root,
# as cmake/toolchain-armhf.cmake) first, then from the host's armhf directories.
# Usage: conformance_check.sh CACHE_DIR OVERLAY.dtbo [PROGRAM [ARG]...]
# Exit 77 (skip) without qemu-system-arm, the cross compiler or linux-source-6.12.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ $# -ge 2 ] || { sed -n 15p "$0"; exit 2; }
cache=$1 dtbo=$2
shift 2
log=${ZACCEL_QEMU_LOG:-}
export ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-
command -v qemu-system-arm >/dev/null ||
	{ echo "SKIP: no qemu-system-arm (apt-get install qemu-system-arm)"; exit 77; }
ram=512

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
"$top/tests/kernel/build_arm_kernel.sh" "$cache" >"$work/kernel.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	cat "$work/kernel.log"
	exit "$status"
fi
tree=$(tail -n 1 "$work/kernel.log")
tail -n 2 "$work/kernel.log" | head -n 1

cp -r "$top/driver" "$top/uapi" "$work/"
mkdir "$work/pcap"
cp "$here/pcap_probe.c" "$work/pcap/"
echo 'obj-m := pcap_probe.o' >"$work/pcap/Kbuild"
for m in driver pcap; do
	if ! make -C "$tree" M="$work/$m" W=1 modules >"$work/build-$m.log" 2>&1; then
		cat "$work/build-$m.log"
		echo "FAIL: $m does not build against the ARM kernel"
		exit 1
	fi
done
"${CROSS_COMPILE}gcc" -static -O2 -Wall -Wextra -Werror -I "$top/uapi" \
	-I /usr/arm-linux-gnueabihf/include/drm -o "$work/accel_probe" "$here/accel_probe.c"
"$here/guest_dtb.sh" "$tree" "$ram" "$work/guest.dtb" "$dtbo"

# accel_probe runs first (-p lines), the program last; without a program, accel_probe is it.
args=(-m "$work/pcap/pcap_probe.ko")
sysroot=${ZACCEL_ARMHF_SYSROOT:-/opt/zaccel/armhf/root}
[ ! -d "$sysroot" ] || args+=(-r "$sysroot")
# Jobs of 20 ms, as on x86: long enough that two slots' jobs overlap however late TCG starts
# the second.
args+=(-m "$work/driver/zaccel.ko no_hw=1 no_hw_job_us=20000")
args+=(-p "show /sys/class/fpga_manager/fpga0/name" -p "show /sys/class/fpga_manager/fpga0/state")
program=()
if [ $# -gt 0 ] && [ -x "$1" ]; then
	args+=(-a "$work/accel_probe" -p "arg $work/accel_probe" -p run)
	args+=(-e ZACCEL_CONFORMANCE_BACKEND=kernel)
	program=("$@")
	[ "$(basename "$1")" != conformance_tests ] || program+=(--gtest_color=no)
else
	[ $# -eq 0 ] || echo "NOTE: $1 is not built (the armhf build): accel_probe only"
	program=("$work/accel_probe")
fi
"$here/initramfs.sh" -o "$work/initrd.gz" "${args[@]}" \
	-P "show /sys/kernel/debug/zaccel-43c20000.accelerator/regions" "${program[@]}"

set +e
"$here/run_qemu.sh" -t 2400 -m "$ram" -l "$work/console.log" \
	"$tree/arch/arm/boot/zImage" "$work/initrd.gz" "$work/guest.dtb" >"$work/run.log"
status=$?
set -e
grep -E '^(run_qemu|FAIL|SKIP)' "$work/run.log" || true
# ZACCEL_QEMU_LOG=FILE keeps the guest's console.
[ -z "$log" ] || cp "$work/console.log" "$log"
tr -d '\r' <"$work/console.log" >"$work/console.txt"
if [ "$status" -eq 0 ]; then
	grep -E 'zaccel|accel_probe: [0-9]+ failures|^\[  (PASSED|SKIPPED|FAILED) ' "$work/console.txt" |
		grep -v '^ZACCEL_QEMU_RUN' || true
else
	tail -n 300 "$work/console.txt"
fi

# Times from the guest's clock: boot to /init, and each program.
sed -n 's/^ZACCEL_QEMU_\(INIT\|RUN\|EXIT\)\(.*\)uptime=\(.*\)s$/\1\2at \3 s/p' "$work/console.txt" |
	sed 's/^/guest: /'

# Kernel splats: the driver's checker when it is there, else the same patterns here.
if [ -x "$top/tests/qemu/splat_check.sh" ]; then
	splat=0
	"$top/tests/qemu/splat_check.sh" -l "$work/console.txt" || splat=1
	[ "$splat" -eq 0 ] || [ "$status" -ne 0 ] || status=1
elif grep -nE 'WARNING:|BUG:|Oops|possible circular|possible recursive|inconsistent lock|lock held when returning|suspicious RCU|sleeping function called|INFO: task' \
	"$work/console.txt"; then
	echo "FAIL: kernel splat in the guest's console"
	[ "$status" -ne 0 ] || status=1
fi
exit "$status"
