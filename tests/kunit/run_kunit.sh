#!/usr/bin/env bash
# Runs the zaccel KUnit tests in a UML kernel built from a scratch copy of Debian's
# linux-source-6.12: the files in sources.txt are compiled in as drivers/fpga/zaccel_kunit/.
# The tree and the build are cached, so a second run rebuilds only what changed.
# Usage: run_kunit.sh [CACHE_DIR]   (default: $ZACCEL_KUNIT_CACHE, else build/kernel-cache)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${1:-${ZACCEL_KUNIT_CACHE:-$top/build/kernel-cache}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# shellcheck source=tests/linux_source.sh
. "$here/../linux_source.sh"

# UML needs the whole tree. The stamp is written once tar has finished, so an interrupted
# extraction is redone rather than taken for a complete one.
SECONDS=0
linux_source_version 6.12 "$cache" .zaccel-extracted
if [ ! -e "$src/.zaccel-extracted" ]; then
	touch "$src/.zaccel-extracted"
	echo "linux-source-6.12 extracted in ${SECONDS}s"
fi

# Copied afresh each run so that edits, removals and a changed list are all picked up; cp -p
# keeps the mtimes, so that unchanged files are not recompiled.
dir=$src/drivers/fpga/zaccel_kunit
rm -rf "$dir"
mkdir -p "$dir"
objs=
while read -r f; do
	case $f in '' | '#'*) continue ;; esac
	cp -p "$top/$f" "$dir/"
	case $f in *.c) objs="$objs $(basename "$f" .c).o" ;; esac
done <"$here/sources.txt"
cat >"$dir/Kconfig" <<'KCONFIG'
config ZACCEL_KUNIT_TEST
	tristate "KUnit tests for the zaccel driver"
	depends on KUNIT && FPGA && FPGA_BRIDGE
	default KUNIT_ALL_TESTS
KCONFIG
# Include paths as driver/Kbuild has them; 6.12 has both features that Kbuild probes for.
cat >"$dir/Makefile" <<MAKEFILE
obj-\$(CONFIG_ZACCEL_KUNIT_TEST) += zaccel_kunit.o
zaccel_kunit-y :=$objs
ccflags-y := -I$top/uapi -I\$(srctree)/include/uapi/drm -DZACCEL_HAVE_ACCEL -DZACCEL_REMOVE_VOID
MAKEFILE
# Hooked into drivers/fpga once, inside its "if FPGA" block next to the FPGA core's own tests.
grep -q zaccel_kunit "$src/drivers/fpga/Kconfig" ||
	sed -i '/^source "drivers\/fpga\/tests\/Kconfig"/a source "drivers/fpga/zaccel_kunit/Kconfig"' \
		"$src/drivers/fpga/Kconfig"
# shellcheck disable=SC2016 # $(CONFIG_...) is make's, not the shell's
grep -q zaccel_kunit "$src/drivers/fpga/Makefile" ||
	echo 'obj-$(CONFIG_ZACCEL_KUNIT_TEST) += zaccel_kunit/' >>"$src/drivers/fpga/Makefile"

SECONDS=0
log=$cache/kunit.log
(cd "$src" && python3 tools/testing/kunit/kunit.py run --kunitconfig="$here/kunitconfig" \
	--build_dir="$cache/kunit-build" --jobs=2) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# kunit.py closes with "Ran N tests: passed: P, failed: F, crashed: C, ..." (zeros left out).
count() {
	local n
	n=$(sed -n "s/.*Ran [0-9]* tests\?:.*\b$1: \([0-9]*\).*/\1/p" "$log" | tail -n 1)
	echo "${n:-0}"
}
passed=$(count passed)
failed=$(($(count failed) + $(count crashed)))
echo "kunit.py took ${SECONDS}s"
echo "KUnit: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$passed" -gt 0 ] && [ "$failed" -eq 0 ]
