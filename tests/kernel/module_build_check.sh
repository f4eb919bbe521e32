#!/usr/bin/env bash
# Builds zaccel.ko out of tree against every kernel tree given (Debian header sets, or the
# cross-built ARM tree with ARCH and CROSS_COMPILE in the environment), with W=1 and sparse
# (C=2), and fails on any warning. The sources are copied first, so that the build leaves
# nothing in the repository. Every symbol the module needs must be in the tree's Module.symvers,
# with one exception: a tree built without CONFIG_FPGA (Debian's amd64 kernels; the QEMU and
# ARM kernels have it) may lack the functions the FPGA framework's headers declare.
# Usage: module_build_check.sh REPO_TOP KERNEL_TREE...
set -eu
top=$1
shift
status=0
nm=${CROSS_COMPILE:-}nm
for kdir in "$@"; do
	if [ ! -f "$kdir/Makefile" ]; then
		echo "SKIP: no kernel headers in $kdir"
		exit 77
	fi
	command -v sparse >/dev/null || { echo "SKIP: no sparse"; exit 77; }
	name="$(basename "$kdir") (${ARCH:-$(uname -m)})"
	work=$(mktemp -d)
	cp -r "$top/driver" "$top/uapi" "$work/"
	log="$work/build.log"
	# Modpost only warns about undefined symbols here; the list below decides.
	if ! make -C "$kdir" M="$work/driver" W=1 C=2 KBUILD_MODPOST_WARN=1 modules >"$log" 2>&1; then
		cat "$log"
		echo "FAIL: $name: the build failed"
		status=1
	elif [ ! -f "$work/driver/zaccel.ko" ]; then
		echo "FAIL: $name: no zaccel.ko"
		status=1
	else
		# Compiler and sparse diagnostics both read FILE:LINE:COL: warning|error: ...; modpost's
		# own warnings (section mismatches) count too, its undefined symbols are listed below.
		diagnostics=$(grep -E '(warning|error):|^WARNING: modpost:' "$log" |
			grep -vE '^WARNING: modpost: (.* undefined!|suppressed .* unresolved symbol)' || true)
		warnings=$(grep -c . <<<"$diagnostics" || true)
		unresolved=$("$nm" -u "$work/driver/zaccel.ko" | awk '{print $2}' | sort -u |
			comm -23 - <(awk '{print $2}' "$kdir/Module.symvers" | sort -u))
		# The FPGA framework's functions, from its headers in the tree's source (Debian's
		# header packages keep it in a -common directory that the Makefile includes).
		fpga=
		if ! grep -qs '^CONFIG_FPGA=y' "$kdir/.config"; then
			srctree=$(sed -n 's|^include \(/.*\)/Makefile$|\1|p' "$kdir/Makefile" | head -n 1)
			fpga=$(grep -hoE '\b\w*fpga_\w+ *\(' "${srctree:-$kdir}"/include/linux/fpga/*.h |
				tr -d ' (' | sort -u)
		fi
		tolerated=$(comm -12 <(grep . <<<"$unresolved" || true) <(grep . <<<"$fpga" || true))
		foreign=$(comm -23 <(grep . <<<"$unresolved" || true) <(grep . <<<"$fpga" || true))
		echo "$name: zaccel.ko built, $warnings warnings (W=1, sparse C=2)," \
			"$(grep -c . <<<"$tolerated" || true) FPGA-framework symbols this kernel lacks," \
			"$(grep -c . <<<"$foreign" || true) other undefined symbols"
		if [ "$warnings" -ne 0 ]; then
			echo "$diagnostics"
			status=1
		fi
		if [ -n "$foreign" ]; then
			echo "FAIL: $name: undefined symbols (not exported by this kernel): $(paste -sd " " <<<"$foreign")"
			status=1
		fi
	fi
	rm -rf "$work"
done
exit $status
