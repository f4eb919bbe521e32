#!/usr/bin/env bash
# Cross-builds the 32-bit ARM (Zynq-7000) kernel tree that zaccel.ko is built and linked against
# and that tests/qemu-zynq/ boots on QEMU's xilinx-zynq-a9: Debian's linux-source-6.12, `make
# tinyconfig` plus arm-zynq.config, vmlinux, arch/arm/boot/zImage and Module.symvers.
# The tree is cached under CACHE_DIR, keyed by the source package's version and the fragment's
# hash, so that a rerun takes seconds; trees of other keys are removed. Prints the tree's path
# on the last line. Exits 77 (skip) without the cross compiler or linux-source-6.12.
# Usage: build_arm_kernel.sh CACHE_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$(realpath -m "$1")
fragment=$here/arm-zynq.config
export ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-
tarball=/usr/src/linux-source-6.12.tar.xz
command -v "${CROSS_COMPILE}gcc" >/dev/null ||
	{ echo "SKIP: no ${CROSS_COMPILE}gcc (apt-get install gcc-arm-linux-gnueabihf)"; exit 77; }
[ -f "$tarball" ] || { echo "SKIP: no $tarball (apt-get install linux-source-6.12)"; exit 77; }

# The key: the package's version (the tarball's size and time without dpkg) and the fragment.
version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
	stat -c '%s-%Y' "$tarball")
key=6.12-$(printf '%s' "$version" | tr -c 'A-Za-z0-9.+-' _)-$(sha256sum "$fragment" | cut -c1-12)
tree=$cache/arm-$key/linux-source-6.12
mkdir -p "$cache"
# One build at a time in a cache (ctest -j, or two build directories sharing one).
exec 9>"$cache/.arm-lock"
flock 9
if [ -e "$tree/.zaccel-built" ] && [ -s "$tree/arch/arm/boot/zImage" ]; then
	echo "cached: $tree"
	echo "$tree"
	exit 0
fi
start=$(date +%s)
for old in "$cache"/arm-*; do
	[ "$old" = "$cache/arm-$key" ] || rm -rf "$old"
done

# Markers are written after each step succeeds, so an interrupted run redoes only that step.
if [ ! -e "$tree/.zaccel-extracted" ]; then
	rm -rf "$cache/arm-$key"
	mkdir -p "$cache/arm-$key"
	tar -xJf "$tarball" -C "$cache/arm-$key"
	touch "$tree/.zaccel-extracted"
fi
if [ ! -e "$tree/.zaccel-configured" ]; then
	make -C "$tree" -s tinyconfig
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null)
	make -C "$tree" -s olddefconfig
	# merge_config.sh only warns about options Kconfig dropped (unmet dependencies): fail instead.
	missing=$(grep '^CONFIG_' "$fragment" | grep -vxFf "$tree/.config" || true)
	[ -z "$missing" ] || { echo "FAIL: not in the final .config:"; echo "$missing"; exit 1; }
	touch "$tree/.zaccel-configured"
fi
# `modules` runs modpost over vmlinux, which writes Module.symvers (modules_prepare does not);
# zImage is vmlinux compressed, with its self-decompressor, for QEMU's -kernel.
make -C "$tree" -s -j"$(nproc)" zImage modules
[ -s "$tree/Module.symvers" ] || { echo "FAIL: no Module.symvers in $tree"; exit 1; }
[ -s "$tree/arch/arm/boot/zImage" ] || { echo "FAIL: no arch/arm/boot/zImage in $tree"; exit 1; }
touch "$tree/.zaccel-built"
echo "ARM kernel built in $(($(date +%s) - start)) s: $tree"
echo "$tree"
