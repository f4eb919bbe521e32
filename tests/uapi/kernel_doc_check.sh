#!/usr/bin/env bash
# kernel-doc (from Debian's linux-source) finds nothing to warn about in the uapi header.
# Usage: kernel_doc_check.sh HEADER CACHE_DIR
set -eu
header=$1
cache=$2
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | head -n 1)
[ -n "$tarball" ] || { echo "SKIP: no /usr/src/linux-source-*.tar.xz"; exit 77; }
tool="$cache/kernel-doc"
if [ ! -x "$tool" ]; then
	mkdir -p "$cache"
	top=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$cache" "$top/scripts/kernel-doc"
	mv "$cache/$top/scripts/kernel-doc" "$tool"
	rm -rf "${cache:?}/$top"
fi
out=$("$tool" -none "$header" 2>&1)
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
echo "kernel-doc: no warnings in $header"
