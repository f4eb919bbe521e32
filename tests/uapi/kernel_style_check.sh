#!/usr/bin/env bash
# Kernel-side files pass the kernel's own checks, taken from Debian's linux-source tarball:
# kernel-doc finds nothing to warn about and checkpatch --strict finds nothing at all.
# Usage: kernel_style_check.sh CACHE_DIR FILE...
set -eu
cache=$1
shift
. "$(dirname "$0")/../linux_source.sh"
linux_source "$cache" scripts/checkpatch.pl scripts/kernel-doc scripts/checkpatch.pl \
	scripts/spelling.txt scripts/const_structs.checkpatch
scripts="$src/scripts"
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
