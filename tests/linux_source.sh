# Sourced by the kernel-side checks: extracts files from Debian's linux-source tarball into a
# cache once. `linux_source CACHE MARKER PATTERN...` sets $src to the extracted tree, whose
# MARKER (a path in it) tells whether an earlier run already extracted PATTERN...; exits 77
# (skip) without the tarball.
linux_source() {
	local cache=$1 marker=$2 tarball top
	shift 2
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | head -n 1)
	[ -n "$tarball" ] || { echo "SKIP: no /usr/src/linux-source-*.tar.xz"; exit 77; }
	top=$(basename "$tarball" .tar.xz)
	src="$cache/$top"
	if [ ! -e "$src/$marker" ]; then
		mkdir -p "$cache"
		tar -xJf "$tarball" -C "$cache" --wildcards "${@/#/$top/}"
	fi
}
