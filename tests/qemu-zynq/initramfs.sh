#!/usr/bin/env bash
# Builds the ARM (Zynq) guest's initramfs, a gzip cpio made without root: init.c compiled as a
# static armhf /init, the modules to load, firmware files, and an armhf test program with, if
# it is dynamically linked, the armhf loader and every library its NEEDED entries reach
# (resolved recursively with readelf against its RUNPATH, the sysroot's and the host's armhf
# library directories).
# Usage: initramfs.sh -o OUT.cpio.gz [-r SYSROOT] [-m MODULE]... [-f FIRMWARE]... [-a FILE]...
#                     [-e VAR=VALUE]... [-p LINE]... [-P LINE]... PROGRAM [ARG]...
#   -r  an armhf sysroot (tools/armhf-sysroot.sh) whose libraries come first
#   -m  "MODULE.ko [PARAM=VALUE]...", loaded in the order given before PROGRAM runs
#   -f  file for request_firmware(), placed in /lib/firmware/
#   -a  any other file PROGRAM reads, placed at its host path
#   -e  an environment variable PROGRAM runs with
#   -p, -P  a line of init.c's /init.conf run before, or after, PROGRAM (e.g. "show PATH")
# /init prints "ZACCEL_QEMU_EXIT=<status>" and restarts the machine, which ends QEMU when it runs
# with -no-reboot (run_qemu.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="" sysroot="" modules=() firmware=() files=() env=() pre=() post=()
while getopts o:r:m:f:a:e:p:P: opt; do
	case $opt in
	o) out=$OPTARG ;;
	r) sysroot=$OPTARG ;;
	m) modules+=("$OPTARG") ;;
	f) firmware+=("$OPTARG") ;;
	a) files+=("$OPTARG") ;;
	e) env+=("$OPTARG") ;;
	p) pre+=("$OPTARG") ;;
	P) post+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$out" ] || [ $# -eq 0 ]; then sed -n 7,14p "$0"; exit 2; fi
cross=arm-linux-gnueabihf-
for tool in gcc readelf; do
	command -v "$cross$tool" >/dev/null ||
		{ echo "SKIP: no $cross$tool (apt-get install gcc-arm-linux-gnueabihf)"; exit 77; }
done
prog=$(realpath "$1")
shift
"${cross}readelf" -h "$prog" 2>/dev/null | grep -q 'Machine: *ARM$' ||
	{ echo "FAIL: $prog is not a 32-bit ARM program"; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{dev,proc,sys,tmp,lib/modules,lib/firmware,lib/arm-linux-gnueabihf}
"${cross}gcc" -static -O2 -Wall -Wextra -Werror -o "$root/init" "$here/init.c"

copy() { mkdir -p "$root$(dirname "$1")" && cp -L "$1" "$root$1"; }
copy "$prog"

# The dynamic part: every NEEDED library, found first in the object's RUNPATH (or RPATH), then
# in the sysroot, then where Debian's armhf packages and the cross toolchain put them. All go to
# the guest's /lib/arm-linux-gnueabihf, which its loader searches by default.
dirs=()
[ -z "$sysroot" ] || dirs+=("$sysroot/usr/lib/arm-linux-gnueabihf" "$sysroot/lib/arm-linux-gnueabihf")
dirs+=(/usr/lib/arm-linux-gnueabihf /lib/arm-linux-gnueabihf /usr/arm-linux-gnueabihf/lib)
dyn() { "${cross}readelf" -d "$1" 2>/dev/null; }
resolve() {	# OBJECT NAME: prints the host path of NAME as OBJECT's loader would find it
	local origin rpath d
	origin=$(dirname "$1")
	rpath=$(dyn "$1" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]$/\2/p' | tr : ' ')
	for d in ${rpath//\$ORIGIN/$origin} "${dirs[@]}"; do
		[ -e "$d/$2" ] && { echo "$d/$2"; return 0; }
	done
	return 1
}
declare -A seen=()
libc_dir=""
walk() {	# OBJECT: copies what it needs, recursively
	local name path
	for name in $(dyn "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		[ -z "${seen[$name]:-}" ] || continue
		path=$(resolve "$1" "$name") ||
			{ echo "FAIL: $name, needed by $1, is in none of ${dirs[*]}"; exit 1; }
		seen[$name]=$path
		cp -L "$path" "$root/lib/arm-linux-gnueabihf/$name"
		[ "$name" != libc.so.6 ] || libc_dir=$(dirname "$path")
		walk "$path"
	done
}
interp=$("${cross}readelf" -l "$prog" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
if [ -n "$interp" ]; then
	walk "$prog"
	# The loader that goes with the libc found (the two must be of one glibc build).
	loader=$libc_dir/$(basename "$interp")
	[ -e "$loader" ] || { echo "FAIL: no $(basename "$interp") beside $libc_dir/libc.so.6"; exit 1; }
	mkdir -p "$root$(dirname "$interp")"
	cp -L "$loader" "$root$interp"
	echo "initramfs: $prog: ${#seen[@]} libraries, loader $loader"
fi
for f in ${files[@]+"${files[@]}"}; do copy "$(realpath "$f")"; done
for f in ${firmware[@]+"${firmware[@]}"}; do cp "$f" "$root/lib/firmware/"; done

{
	for m in ${modules[@]+"${modules[@]}"}; do
		read -r ko params <<<"$m"
		cp "$ko" "$root/lib/modules/"
		echo "insmod /lib/modules/$(basename "$ko")${params:+ $params}"
	done
	for e in ${env[@]+"${env[@]}"}; do echo "env $e"; done
	for l in ${pre[@]+"${pre[@]}"}; do echo "$l"; done
	echo "arg $prog"
	for a in "$@"; do echo "arg $a"; done
	echo run
	for l in ${post[@]+"${post[@]}"}; do echo "$l"; done
} >"$root/init.conf"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
