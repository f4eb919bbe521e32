#!/usr/bin/env bash
# Builds zaccel.ko out of tree against every Debian kernel header set given, with W=1 and
# sparse (C=2), and fails on any warning. The sources are copied first, so that the build
# leaves nothing in the repository. Debian's amd64 kernels are built without the FPGA framework,
# so modpost may not resolve its symbols there (the QEMU kernel has it); any other unresolved
# symbol fails the check.
# Usage: module_build_check.sh REPO_TOP HEADERS_DIR...
set -eu
top=$1
shift
status=0
for kdir in "$@"; do
	if [ ! -f "$kdir/Makefile" ]; then
		echo "SKIP: no kernel headers in $kdir"
		exit 77
	fi
	command -v sparse >/dev/null || { echo "SKIP: no sparse"; exit 77; }
	work=$(mktemp -d)
	cp -r "$top/driver" "$top/uapi" "$work/"
	log="$work/build.log"
	if ! make -C "$kdir" M="$work/driver" W=1 C=2 KBUILD_MODPOST_WARN=1 modules >"$log" 2>&1; then
		cat "$log"
		echo "FAIL: $(basename "$kdir"): the build failed"
		status=1
	elif [ ! -f "$work/driver/zaccel.ko" ]; then
		echo "FAIL: $(basename "$kdir"): no zaccel.ko"
		status=1
	else
		# Compiler and sparse diagnostics both read FILE:LINE:COL: warning|error: ...
		warnings=$(grep -cE '(warning|error):' "$log" || true)
		unresolved=$(nm -u "$work/driver/zaccel.ko" | awk '{print $2}' | sort -u |
			comm -23 - <(awk '{print $2}' "$kdir/Module.symvers" | sort -u))
		foreign=$(grep -vE '^(__)?(of_)?fpga_' <<<"$unresolved" | grep -v '^$' || true)
		echo "$(basename "$kdir"): zaccel.ko built, $warnings warnings (W=1, sparse C=2)," \
			"$(grep -c . <<<"$unresolved" || true) FPGA-framework symbols this kernel lacks"
		if [ "$warnings" -ne 0 ]; then
			grep -E '(warning|error):' "$log"
			status=1
		fi
		if [ -n "$foreign" ]; then
			echo "FAIL: unresolved symbols outside the FPGA framework:" $foreign
			status=1
		fi
	fi
	rm -rf "$work"
done
exit $status
