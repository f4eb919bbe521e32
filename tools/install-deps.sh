#!/usr/bin/env bash
# Installs every Debian package zaccel needs to build, test and run. Idempotent.
set -euo pipefail

packages=(
	build-essential cmake ninja-build pkg-config clang-format abigail-tools
	libgtest-dev libgmock-dev libbenchmark-dev
	zlib1g-dev libcli11-dev nlohmann-json3-dev libssl-dev openssl
	libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
	libfdt-dev device-tree-compiler libdrm-dev libudev-dev gcc-arm-linux-gnueabihf libc6-dev-armhf-cross linux-libc-dev-armhf-cross
	python3 python3-torch python3-onnx python3-numpy python3-jsonschema
	dataset-fashion-mnist
	linux-source-6.1 linux-source-6.12
	linux-headers-amd64 sparse dt-schema dkms flex bison bc libelf-dev
	qemu-system-x86 qemu-system-arm qemu-user busybox-static cpio xz-utils g++-arm-linux-gnueabihf
	clang-16 libfuzzer-16-dev libclang-rt-16-dev
)

# The 32-bit ARM userspace (libaccel, accelctl, the tests; cmake/toolchain-armhf.cmake) builds
# against these armhf packages, unpacked with their dependencies into a sysroot of their own by
# tools/armhf-sysroot.sh (not multiarch: see there). Header-only ones come along so that the
# sysroot is complete; protoc stays the host's (same protobuf release as the sysroot's).
armhf_packages=(
	libprotobuf-dev libonnx-dev libgtest-dev libgmock-dev zlib1g-dev libssl-dev libfdt-dev
	libdrm-dev libudev-dev libcli11-dev nlohmann-json3-dev
)
armhf_dir=${ZACCEL_ARMHF_DIR:-/opt/zaccel/armhf}

top=$(cd "$(dirname "$0")/.." && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The driver is also built against the 6.12 headers, whose package name carries the version.
headers612=$(compgen -G '/usr/src/linux-headers-6.12.*+deb12-amd64' || true)
if [ ${#missing[@]} -ne 0 ] || [ -z "$headers612" ]; then
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q
	if [ -z "$headers612" ]; then
		pkg=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9.]+\+deb12-amd64$' |
			awk '{print $1}' | sort -V | tail -n 1)
		[ -n "$pkg" ] && missing+=("$pkg")
	fi
	[ ${#missing[@]} -eq 0 ] || $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Quick when the sysroot already holds this list; without it the armhf tests skip (exit 77).
$sudo bash "$top/tools/armhf-sysroot.sh" "$armhf_dir" "${armhf_packages[@]}" ||
	echo "install-deps: no armhf sysroot in $armhf_dir; the armhf tests will skip" >&2
