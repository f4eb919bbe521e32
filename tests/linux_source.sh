# Sourced by the kernel-side checks: extracts files from Debian's linux-source tarball into a
# cache once. `linux_source CACHE MARKER PATTERN...` sets $src to the extracted tree, whose
# MARKER (a path in it) tells whether an earlier run already extracted PATTERN...; exits 77
# (skip) without the tarball. It takes the oldest tarball installed; `linux_source_version
# VERSION CACHE MARKER PATTERN...` takes linux-source-VERSION. No PATTERN extracts the whole tree.
linux_source() {
	linux_source_version '*' "$@"
}
linux_source_version() {
	local version=$1 cache=$2 marker=$3 tarball top
	shift 3
	# $version unquoted: it may be a glob.
	tarball=$(ls /usr/src/linux-source-$version.tar.xz 2>/dev/null | sort -V | head -n 1)
	[ -n "$tarball" ] || { echo "SKIP: no /usr/src/linux-source-$version.tar.xz"; exit 77; }
	top=$(basename "$tarball" .tar.xz)
	src="$cache/$top"
	if [ ! -e "$src/$marker" ]; then
		mkdir -p "$cache"
		tar -xJf "$tarball" -C "$cache" --wildcards "${@/#/$top/}"
	fi
}
