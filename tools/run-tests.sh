#!/usr/bin/env bash
# Installs, builds and runs every test suite (all CTest labels, the slow ones included).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/tools/build.sh"
cd "$top/build"
status=0
# Two suites at a time: see the COST and RESOURCE_LOCK notes in tests/CMakeLists.txt.
ctest --output-on-failure --timeout 1800 --parallel "$(nproc)" "$@" || status=$?
# The clang build: the whole project built with clang-16 and -Werror, under ASan and UBSan, in
# a build directory of its own. It runs the libFuzzer harnesses (label fuzz, tests/fuzz/) and
# then the unit, conformance and CLI suites once more under the sanitizers. ZACCEL_SKIP_FUZZ=1
# leaves out the harnesses, ZACCEL_SKIP_SANITIZE=1 the suites; both, the whole build.
if [ "${ZACCEL_SKIP_FUZZ:-0}" != 1 ] || [ "${ZACCEL_SKIP_SANITIZE:-0}" != 1 ]; then
	cmake -S "$top" -B "$top/build-san" -G Ninja -DCMAKE_C_COMPILER=clang-16 \
		-DCMAKE_CXX_COMPILER=clang++-16 -DZACCEL_FUZZ=ON -DZACCEL_SANITIZE=ON
	cmake --build "$top/build-san" --parallel
fi
if [ "${ZACCEL_SKIP_FUZZ:-0}" != 1 ]; then
	ctest --test-dir "$top/build-san" -L fuzz --output-on-failure --parallel "$(nproc)" ||
		status=$?
fi
if [ "${ZACCEL_SKIP_SANITIZE:-0}" != 1 ]; then
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir "$top/build-san" -L 'unit|conformance|cli' -LE kunit \
		--output-on-failure --parallel "$(nproc)" || status=$?
fi
# Last, so that a failure's reason is at the end of the log: see failure-digest.sh.
[ "$status" -eq 0 ] || bash "$top/tools/failure-digest.sh" "$top/build" "$top/build-san"
exit $status
