#!/usr/bin/env bash
# expect.sh pass|fail MESSAGE COMMAND...: runs COMMAND, which must succeed (pass) or fail with
# exit status 1 and print MESSAGE (fail).
set -u
want=$1 message=$2
shift 2
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$want" = pass ]; then
	[ $rc -eq 0 ] && exit 0
	echo "EXPECTED: the check passes; it exited with $rc"
	exit 1
fi
if [ $rc -ne 1 ]; then
	echo "EXPECTED: the check fails with status 1; it exited with $rc"
	exit 1
fi
if ! grep -qF -- "$message" <<<"$out"; then
	echo "EXPECTED: the failure to say '$message'"
	exit 1
fi
echo "the check failed, as it must"
