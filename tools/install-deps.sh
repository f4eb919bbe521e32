#!/usr/bin/env bash
# Installs every Debian package zaccel needs to build, test and run. Idempotent.
set -euo pipefail

packages=(
	build-essential cmake ninja-build pkg-config clang-format
	libgtest-dev libgmock-dev libbenchmark-dev
	zlib1g-dev libcli11-dev nlohmann-json3-dev libssl-dev openssl
	libonnx-dev libprotobuf-dev protobuf-compiler
	libfdt-dev device-tree-compiler libdrm-dev libudev-dev gcc-arm-linux-gnueabihf libc6-dev-armhf-cross linux-libc-dev-armhf-cross
	python3 python3-torch python3-onnx python3-numpy python3-jsonschema
	dataset-fashion-mnist
	linux-source-6.1
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
