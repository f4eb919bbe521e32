#!/usr/bin/env bash
# Prints, for each test that failed in the last ctest run of each BUILD_DIR, the lines of its
# output that say why (GoogleTest's failures, the scripts' FAIL lines, a kernel's splats and
# build errors), at most 40 per test. run-tests.sh calls it last, so that the reason stands at
# the end of a long CI log rather than in its middle, where logs are cut.
# Usage: failure-digest.sh BUILD_DIR...
set -u
why='Failure$|^Expected|^  Actual|Which is|Value of|\[  FAILED  \]|FAIL|error:|Error [0-9]'
why+='|WARNING:|BUG:|Oops|timeout|Timeout|Killed|Segmentation|ERROR: '
for dir in "$@"; do
	failed=$dir/Testing/Temporary/LastTestsFailed.log
	log=$dir/Testing/Temporary/LastTest.log
	[ -s "$failed" ] && [ -r "$log" ] || continue
	while IFS=: read -r _ name; do
		echo "=== $name ($dir): why it failed"
		# The test's section of LastTest.log: from its "Testing:" line to its end time.
		awk -v n="$name" '
			$0 ~ "^[0-9]+/[0-9]+ Testing: " && $NF == n { on = 1 }
			on { print }
			on && index($0, "\"" n "\" end time") == 1 { exit }
		' "$log" | tr -d '\r' | grep -E "$why" | head -n 40
	done <"$failed"
done
exit 0
