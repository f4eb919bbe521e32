#!/usr/bin/env bash
# Boots the test guest under qemu-system-x86_64 (TCG) and exits with the status of the test
# command that initramfs.sh put in INITRAMFS (from its "ZACCEL_QEMU_EXIT=" line).
# Usage: run_qemu.sh [-t SECONDS] [-l LOG] [-o OVERLAY.dtbo]... BZIMAGE INITRAMFS
#   -o  overlays merged (fdtoverlay) onto base.dts; the result is the guest's device tree
#       (QEMU -dtb, passed as x86 setup_data). Without -o the guest has the kernel's empty root.
#   -t  timeout for the whole run (default 300 s); -l keeps the console log (default: temporary)
# Exit: the test's status; 124 on timeout; 1 when the guest ended without a result (panic).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
timeout=300 log="" overlays=()
while getopts t:l:o: opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	o) overlays+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { sed -n 4,7p "$0"; exit 2; }
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "SKIP: no qemu-system-x86_64 (apt-get install qemu-system-x86)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log=$work/console.log

dtb=()
if [ ${#overlays[@]} -gt 0 ]; then
	# -@ keeps the labels (__symbols__) that the overlays' references resolve against.
	dtc -q -@ -I dts -O dtb -o "$work/base.dtb" "$here/base.dts"
	fdtoverlay -i "$work/base.dtb" -o "$work/guest.dtb" "${overlays[@]}"
	dtb=(-dtb "$work/guest.dtb")
fi

# console=ttyS0: -serial stdio. panic=-1 and oops=panic: a crash resets the guest at once, which
# -no-reboot turns into QEMU's exit. tsc=unstable: under TCG the TSC follows the host's clock,
# so on a busy host the guest sees time jump while it was not running; the kernel's clocksource
# watchdog then switched to another clock in the middle of a CI run's suite. Timer ticks count
# only the time the guest ran; on hosts where TSC calibration fails that is the clock anyway.
start=$(date +%s%N)
set +e
timeout "$timeout" qemu-system-x86_64 -accel tcg -m 512 -smp 1 -no-reboot \
	-display none -monitor none -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$1" -initrd "$2" ${dtb[@]+"${dtb[@]}"} \
	-append "console=ttyS0 panic=-1 oops=panic tsc=unstable" \
	</dev/null | tee "$log"
qemu=${PIPESTATUS[0]}
set -e
echo "run_qemu: QEMU ended with status $qemu after $((($(date +%s%N) - start) / 1000000)) ms"
[ "$qemu" -ne 124 ] || { echo "FAIL: timeout after $timeout s"; exit 124; }
status=$(tr -d '\r' <"$log" | sed -n 's/^ZACCEL_QEMU_EXIT=\([0-9]*\).*/\1/p' | tail -n 1)
[ -n "$status" ] || { echo "FAIL: the guest ended without a result"; exit 1; }
exit "$status"
