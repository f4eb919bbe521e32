#!/usr/bin/env bash
# Builds the guest's initramfs (gzip cpio, no root needed): busybox from busybox-static, an
# /init, the modules to load, firmware files, and a host-built test program with the shared
# libraries ldd lists for it (the dynamic loader included), each at its host path.
# Usage: initramfs.sh -o OUT.cpio.gz [-m MODULE]... [-f FIRMWARE]... [-a FILE]... [-e VAR=VALUE]...
#                     PROGRAM [ARG]...
#   -m  "MODULE.ko [PARAM=VALUE]...", insmod'ed in the order given before PROGRAM runs
#   -f  file for request_firmware(), placed in /lib/firmware/
#   -a  any other file PROGRAM reads, placed at its host path
#   -e  an environment variable PROGRAM runs with
# /init prints "ZACCEL_QEMU_EXIT=<status>" and ends QEMU through isa-debug-exit (run_qemu.sh).
set -eu
out="" modules=() firmware=() files=() env=()
while getopts o:m:f:a:e: opt; do
	case $opt in
	o) out=$OPTARG ;;
	m) modules+=("$OPTARG") ;;
	f) firmware+=("$OPTARG") ;;
	a) files+=("$OPTARG") ;;
	e) env+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$out" ] || [ $# -eq 0 ]; then sed -n 5,10p "$0"; exit 2; fi
busybox=/bin/busybox
# A dynamically linked busybox (Debian's "busybox") would need its libraries too.
if [ ! -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	echo "SKIP: no static $busybox (apt-get install busybox-static)"
	exit 77
fi
prog=$(realpath "$1")
shift

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules,lib/firmware}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"	# the other applets are linked by /init: one process, not ~270 ln

# The program and the libraries the host's loader resolves for it, at their host paths.
copy() { mkdir -p "$root$(dirname "$1")" && cp -L "$1" "$root$1"; }
copy "$prog"
libs=$(ldd "$prog" 2>/dev/null || true)	# ldd fails for a static program: no libraries
if grep 'not found' <<<"$libs"; then echo "FAIL: $prog needs libraries ldd cannot find"; exit 1; fi
grep -o '/[^ ]*' <<<"$libs" | while read -r lib; do copy "$lib"; done
for f in ${files[@]+"${files[@]}"}; do copy "$(realpath "$f")"; done
for f in ${firmware[@]+"${firmware[@]}"}; do cp "$f" "$root/lib/firmware/"; done
for m in ${modules[@]+"${modules[@]}"}; do
	read -r ko params <<<"$m"
	cp "$ko" "$root/lib/modules/"
	echo "$(basename "$ko") $params" >>"$root/lib/modules/order"
done
touch "$root/lib/modules/order"

# The command, single-quoted word by word so that busybox sh runs it as given.
quote() { printf "'%s' " "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{
	for e in ${env[@]+"${env[@]}"}; do
		printf 'export '
		quote "$e"
		echo
	done
	printf 'exec '
	quote "$prog"
	for arg in "$@"; do quote "$arg"; done
	echo
} >"$root/test.sh"

cat >"$root/init" <<'INIT'
#!/bin/sh
# PID 1. The initramfs has no /dev/console node (making one needs root), so stdio is opened
# only once devtmpfs is mounted. The initramfs itself is a writable tmpfs, /tmp included.
# TERM=dumb: plain test output (the kernel passes TERM=linux, which GoogleTest colours)
export PATH=/bin TERM=dumb
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t devtmpfs devtmpfs /dev
exec 0</dev/console 1>/dev/console 2>&1
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
echo "ZACCEL_QEMU_INIT uptime=$(cut -d' ' -f1 /proc/uptime)s"
rc=0
while read -r m params; do
	# $params unquoted: one word per module parameter
	insmod "/lib/modules/$m" $params || { echo "ZACCEL_QEMU: insmod $m failed"; rc=1; break; }
done </lib/modules/order
[ "$rc" -ne 0 ] || { sh /test.sh; rc=$?; }
echo "ZACCEL_QEMU_EXIT=$rc uptime=$(cut -d' ' -f1 /proc/uptime)s"
# isa-debug-exit at port 0xf4 (244): QEMU exits with status (byte << 1) | 1. run_qemu.sh
# takes the status from the line above; the byte only has to end QEMU.
b=$rc
[ "$b" -le 127 ] || b=127
printf "\\$(printf %o "$b")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
# Not reached unless the port write failed: -no-reboot turns the reset into QEMU's exit.
reboot -f
INIT
chmod +x "$root/init"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
