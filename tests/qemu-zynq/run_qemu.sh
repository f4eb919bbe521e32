#!/usr/bin/env bash
# Boots the ARM test guest on QEMU's xilinx-zynq-a9 (TCG) and exits with the status of the test
# program that initramfs.sh put in INITRAMFS (from its "ZACCEL_QEMU_EXIT=" line).
# Usage: run_qemu.sh [-t SECONDS] [-l LOG] [-m RAM_MIB] ZIMAGE INITRAMFS DTB
#   DTB from guest_dtb.sh (with the same RAM_MIB, default 512: the PYNQ-Z2's); -t timeout for
#   the whole run (default 600 s); -l keeps the console log (default: temporary)
# Exit: the test's status; 124 on timeout; 1 when the guest ended without a result (panic).
set -eu
timeout=600 log="" ram=512
while getopts t:l:m: opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	m) ram=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 3 ] || { sed -n 4,6p "$0"; exit 2; }
command -v qemu-system-arm >/dev/null ||
	{ echo "SKIP: no qemu-system-arm (apt-get install qemu-system-arm)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log=$work/console.log

# The ZC702's console is UART1 (serial0 = &uart1, ttyPS0), QEMU's second serial port.
# panic=-1 and oops=panic: a crash restarts the guest at once; the SLCR's soft reset, which
# /init's restart also ends in, is QEMU's exit under -no-reboot.
start=$(date +%s%N)
set +e
timeout "$timeout" qemu-system-arm -M xilinx-zynq-a9 -m "$ram" -no-reboot \
	-display none -monitor none -serial null -serial stdio \
	-kernel "$1" -initrd "$2" -dtb "$3" \
	-append "console=ttyPS0,115200 panic=-1 oops=panic" \
	</dev/null | tee "$log"
qemu=${PIPESTATUS[0]}
set -e
echo "run_qemu: QEMU ended with status $qemu after $((($(date +%s%N) - start) / 1000000)) ms"
[ "$qemu" -ne 124 ] || { echo "FAIL: timeout after $timeout s"; exit 124; }
status=$(tr -d '\r' <"$log" | sed -n 's/^ZACCEL_QEMU_EXIT=\([0-9]*\).*/\1/p' | tail -n 1)
[ -n "$status" ] || { echo "FAIL: the guest ended without a result"; exit 1; }
exit "$status"
