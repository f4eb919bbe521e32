#!/usr/bin/env bash
# Installs, builds and runs every test suite (all CTest labels, the slow ones included).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/tools/build.sh"
cd "$top/build"
status=0
ctest --output-on-failure --timeout 1800 "$@" || status=$?
# libFuzzer harnesses under ASan+UBSan (label fuzz), in a clang build of their own:
# tests/fuzz/. ZACCEL_SKIP_FUZZ=1 leaves them out.
if [ "${ZACCEL_SKIP_FUZZ:-0}" != 1 ]; then
	cmake -S "$top" -B "$top/build-fuzz" -G Ninja -DCMAKE_C_COMPILER=clang-16 \
		-DCMAKE_CXX_COMPILER=clang++-16 -DZACCEL_FUZZ=ON
	cmake --build "$top/build-fuzz" --target fuzz-harnesses --parallel
	ctest --test-dir "$top/build-fuzz" -L fuzz --output-on-failure --parallel "$(nproc)" ||
		status=$?
fi
# The unit, conformance and CLI suites once more under ASan and UBSan (GCC), in a build of
# their own. ZACCEL_SKIP_SANITIZE=1 leaves them out.
if [ "${ZACCEL_SKIP_SANITIZE:-0}" != 1 ]; then
	cmake -S "$top" -B "$top/build-asan" -G Ninja -DZACCEL_WERROR=OFF -DZACCEL_SANITIZE=ON
	cmake --build "$top/build-asan" --target unit_tests conformance_tests accelctl --parallel
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir "$top/build-asan" -L 'unit|conformance|cli' -LE kunit \
		--output-on-failure --parallel "$(nproc)" || status=$?
fi
exit $status
