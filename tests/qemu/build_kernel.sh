#!/usr/bin/env bash
# Builds the x86-64 guest kernel of the QEMU end-to-end test from Debian's linux-source-6.12:
# tinyconfig plus kernel.config, bzImage and Module.symvers (so that zaccel.ko builds against
# the tree with `make -C TREE M=.../driver`). Extracts once, reconfigures only when the fragment
# changed, and rebuilds incrementally. Prints the tree's path on the last line.
# Usage: build_kernel.sh [CACHE_DIR]   (default: build/qemu-cache in the repository)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$(realpath -m "${1:-$here/../../build/qemu-cache}")
# 6.12 by name: tests/linux_source.sh takes the lowest version, which is 6.1 when both are installed
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || { echo "SKIP: no $tarball (apt-get install linux-source-6.12)"; exit 77; }
src=$cache/linux-source-6.12
start=$(date +%s)

# The marker is written after tar succeeds, so an interrupted extraction starts over.
if [ ! -e "$src/.zaccel-extracted" ]; then
	rm -rf "$src"
	mkdir -p "$cache"
	tar -xJf "$tarball" -C "$cache"
	touch "$src/.zaccel-extracted"
fi

# Reconfiguring rewrites .config, so do it only when the fragment differs from the last one used.
if ! cmp -s "$here/kernel.config" "$src/.zaccel-fragment"; then
	make -C "$src" -s tinyconfig
	(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$here/kernel.config" >/dev/null)
	make -C "$src" -s olddefconfig
	# merge_config.sh only warns about options Kconfig dropped (unmet dependencies): fail instead.
	missing=$(grep '^CONFIG_' "$here/kernel.config" | grep -vxFf "$src/.config" || true)
	[ -z "$missing" ] || { echo "FAIL: not in the final .config:"; echo "$missing"; exit 1; }
	cp "$here/kernel.config" "$src/.zaccel-fragment"
fi

# `modules` runs modpost over vmlinux, which writes Module.symvers (modules_prepare does not).
make -C "$src" -s -j"$(nproc)" bzImage modules
echo "kernel built in $(($(date +%s) - start)) s: $src/arch/x86/boot/bzImage"
echo "$src"
