#!/usr/bin/env bash
# Every userspace C/C++ source follows the repo's .clang-format.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
files=$(git ls-files 'libaccel/*.cc' 'libaccel/*.h' 'emulator/*.cc' 'emulator/*.h' \
	'tools/*.cc' 'tools/*.h' 'tests/*.cc' 'tests/*.h' 2>/dev/null || true)
[ -n "$files" ] || files=$(find libaccel emulator tools tests -name '*.cc' -o -name '*.h')
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files
