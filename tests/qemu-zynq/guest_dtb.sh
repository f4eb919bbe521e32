#!/usr/bin/env bash
# The Zynq guest's device tree: the ZC702's (arch/arm/boot/dts/xilinx/zynq-zc702.dts of the ARM
# kernel tree, the board QEMU's xilinx-zynq-a9 models), compiled with symbols (cpp, dtc -@) so
# that overlays resolve their labels, the overlays merged onto it with fdtoverlay, and the memory
# node set to the guest's RAM (at 0, as on the board).
# Usage: guest_dtb.sh KERNEL_TREE RAM_MIB OUT.dtb [OVERLAY.dtbo]...
set -eu
[ $# -ge 3 ] || { sed -n 6p "$0"; exit 2; }
tree=$1 ram_mib=$2 out=$3
shift 3
for tool in cpp dtc fdtoverlay fdtput; do
	command -v "$tool" >/dev/null || { echo "SKIP: no $tool (apt-get install device-tree-compiler)"; exit 77; }
done
dts=$tree/arch/arm/boot/dts/xilinx
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpp -nostdinc -undef -x assembler-with-cpp -D__DTS__ -I "$tree/include" -I "$dts" \
	"$dts/zynq-zc702.dts" -o "$work/base.dts"
dtc -@ -q -I dts -O dtb -o "$work/base.dtb" "$work/base.dts"
if [ $# -gt 0 ]; then
	fdtoverlay -i "$work/base.dtb" -o "$work/merged.dtb" "$@"
else
	cp "$work/base.dtb" "$work/merged.dtb"
fi
# The ZC702 has 1 GiB; the guest (and the PYNQ-Z2) has RAM_MIB.
fdtput -t x "$work/merged.dtb" /memory@0 reg 0 "$(printf '%x' $((ram_mib << 20)))"
cp "$work/merged.dtb" "$out"
