#!/usr/bin/env bash
# Kernel-side files pass the kernel's own checks, taken from Debian's linux-source tarball:
# kernel-doc finds nothing to warn about and checkpatch --strict finds nothing at all.
# Usage: kernel_style_check.sh CACHE_DIR FILE...
set -eu
cache=$1
shift
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | head -n 1)
[ -n "$tarball" ] || { echo "SKIP: no /usr/src/linux-source-*.tar.xz"; exit 77; }
top=$(basename "$tarball" .tar.xz)
scripts="$cache/$top/scripts"
if [ ! -x "$scripts/checkpatch.pl" ]; then
	mkdir -p "$cache"
	tar -xJf "$tarball" -C "$cache" "$top/scripts/kernel-doc" "$top/scripts/checkpatch.pl" \
		"$top/scripts/spelling.txt" "$top/scripts/const_structs.checkpatch"
fi
status=0
doc=$(perl "$scripts/kernel-doc" -none "$@" 2>&1)
if [ -n "$doc" ]; then
	echo "$doc"
	status=1
fi
for f in "$@"; do
	out=$(perl "$scripts/checkpatch.pl" --strict --no-tree --terse -f "$f" 2>&1 | grep -v '^total:' || true)
	if [ -n "$out" ]; then
		echo "$out"
		status=1
	fi
done
[ $status -eq 0 ] && echo "kernel-doc and checkpatch --strict: clean ($*)"
exit $status
