#!/usr/bin/env bash
# armhf-sysroot.sh DIR PACKAGE...: Debian's armhf packages and their dependencies, unpacked
# into DIR/root for the 32-bit ARM cross build (cmake/toolchain-armhf.cmake) and qemu-arm.
#
# A private apt (its state in DIR/apt, APT::Architectures=armhf only, the host's sources) picks
# the versions and resolves the dependencies; dpkg-deb -x unpacks them. The host's dpkg database
# is not touched and no foreign architecture is added, because multiarch does not work here:
# libfdt-dev is not Multi-Arch: same (its armhf package would remove the amd64 one), and
# Multi-Arch: same packages must have one version on every architecture, which fails as soon as
# the host has a security update that the armhf index lacks (linux-libc-dev, libssl3, krb5).
# A sysroot of one architecture is consistent by construction. Rebuilt only when the list of
# packages changes (DIR/root/.zaccel-packages); the new tree replaces the old one in one rename.
set -euo pipefail
[ $# -ge 2 ] || {
	echo "usage: $0 DIR PACKAGE..." >&2
	exit 2
}
dir=$1
shift
want="$*"
[ "$(cat "$dir/root/.zaccel-packages" 2>/dev/null || true)" = "$want" ] && exit 0

apt_dir=$dir/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/dpkg" "$apt_dir/empty"
: >"$apt_dir/dpkg/status"
opts=(-q -o APT::Architecture=armhf -o APT::Architectures::=armhf
	-o Dir::State="$apt_dir" -o Dir::State::Lists="$apt_dir/lists"
	-o Dir::State::status="$apt_dir/dpkg/status" -o Dir::Cache="$apt_dir"
	-o Dir::Cache::Archives="$apt_dir/archives" -o Dir::Etc::Preferences="$apt_dir/empty/none"
	-o Dir::Etc::PreferencesParts="$apt_dir/empty" -o APT::Install-Recommends=false)
# An index that fails to download (a mirror mid-sync) leaves its suite out; what the others
# hold is still one consistent set. A package that no index holds fails below.
apt-get "${opts[@]}" update || echo "armhf-sysroot: some armhf indexes failed to download" >&2
rm -f "$apt_dir"/archives/*.deb
# shellcheck disable=SC2086
apt-get "${opts[@]}" install --download-only -y $want

new=$dir/root.new
rm -rf "$new"
mkdir -p "$new"
for deb in "$apt_dir"/archives/*.deb; do
	dpkg-deb -x "$deb" "$new"
done
# Absolute symlinks (libz.so -> /lib/arm-linux-gnueabihf/libz.so.1) must stay inside the tree.
find "$new" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
	ln -sfn -r "$new$(readlink "$link")" "$link"
done
(cd "$apt_dir/archives" && ls -- *.deb) >"$new/.zaccel-debs"
echo "$want" >"$new/.zaccel-packages"
rm -rf "$dir/root.old"
[ -d "$dir/root" ] && mv "$dir/root" "$dir/root.old"
mv "$new" "$dir/root"
rm -rf "$dir/root.old" "$apt_dir"/archives/*.deb
echo "armhf-sysroot: $(wc -l <"$dir/root/.zaccel-debs") packages in $dir/root"
