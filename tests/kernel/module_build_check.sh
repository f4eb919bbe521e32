#!/usr/bin/env bash
# Builds zaccel.ko out of tree against every Debian kernel header set given, with W=1 and
# sparse (C=2), and fails on any warning. The sources are copied first, so that the build
# leaves nothing in the repository.
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
	if ! make -C "$kdir" M="$work/driver" W=1 C=2 modules >"$log" 2>&1; then
		cat "$log"
		echo "FAIL: $(basename "$kdir"): the build failed"
		status=1
	elif [ ! -f "$work/driver/zaccel.ko" ]; then
		echo "FAIL: $(basename "$kdir"): no zaccel.ko"
		status=1
	else
		# Compiler and sparse diagnostics both read FILE:LINE:COL: warning|error: ...
		warnings=$(grep -cE '(warning|error):' "$log" || true)
		echo "$(basename "$kdir"): zaccel.ko built, $warnings warnings (W=1, sparse C=2)"
		if [ "$warnings" -ne 0 ]; then
			grep -E '(warning|error):' "$log"
			status=1
		fi
	fi
	rm -rf "$work"
done
exit $status
