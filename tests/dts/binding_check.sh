#!/usr/bin/env bash
# The zaccel node's binding and the board overlays, checked with Debian's dt-schema: each
# binding against the meta-schema (dt-doc-validate); each overlay applied with fdtoverlay to
# a Zynq-7000 base tree (the ZC702's, from Debian's linux-source) and the merged tree checked
# against the bindings (dt-validate). A copy of the overlay with a required property removed
# must fail, so that the check is known to bite.
# Usage: binding_check.sh CACHE_DIR BINDINGS_DIR OVERLAY.dtbo...
set -eu
cache=$1 bindings=$2
shift 2
for tool in dt-doc-validate dt-mk-schema dt-validate fdtoverlay dtc cpp; do
	command -v "$tool" >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
. "$(dirname "$0")/../linux_source.sh"
linux_source "$cache" arch/arm/boot/dts/zynq-zc702.dts "arch/arm/boot/dts/zynq-*" \
	"include/dt-bindings/*"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for y in "$bindings"/*.yaml; do
	if ! out=$(dt-doc-validate -u "$bindings" "$y" 2>&1) || [ -n "$out" ]; then
		echo "$out"
		echo "FAIL: $y against the meta-schema"
		status=1
	fi
done
cpp -nostdinc -undef -x assembler-with-cpp -D__DTS__ -I "$src/include" -I "$src/arch/arm/boot/dts" \
	"$src/arch/arm/boot/dts/zynq-zc702.dts" -o "$work/base.dts"
dtc -@ -q -I dts -O dtb -o "$work/base.dtb" "$work/base.dts"
dt-mk-schema -j "$bindings" >"$work/schema.json"
# Problems dt-validate finds in the zaccel node (the base tree's own nodes are not ours).
ours() {
	fdtoverlay -i "$work/base.dtb" -o "$work/merged.dtb" "$1"
	fdtget "$work/merged.dtb" /fpga-full/accelerator@43c20000 compatible >/dev/null
	dt-validate -s "$work/schema.json" "$work/merged.dtb" 2>&1 | grep -A1 'accelerator@' || true
}
for dtbo in "$@"; do
	found=$(ours "$dtbo")
	if [ -n "$found" ]; then
		echo "$found"
		echo "FAIL: $(basename "$dtbo") applied to the ZC702 tree"
		status=1
	else
		echo "$(basename "$dtbo"): applies to the ZC702 base tree, valid against the bindings"
	fi
done
# The negative case: a required property removed from the first overlay.
dtc -q -I dtb -O dts "$1" | sed '/zaccel,hp-ports = <0x04>;/d' |
	dtc -@ -q -I dts -O dtb -o "$work/bad.dtbo" -
if [ -z "$(ours "$work/bad.dtbo" | grep "'zaccel,hp-ports' is a required property")" ]; then
	echo "FAIL: an overlay without zaccel,hp-ports passed"
	status=1
fi
exit $status
