#!/usr/bin/env bash
# Runs a libFuzzer harness for CTest.
#   run_fuzz.sh fuzz HARNESS CORPUS SCRATCH SECONDS [FLAGS...]
#     fuzzes for SECONDS from a fresh copy of CORPUS in SCRATCH (the committed corpus is never
#     written); a crash leaves its input in SCRATCH/artifacts/ and fails.
#   run_fuzz.sh regress HARNESS DIR [FLAGS...]
#     runs the harness once on each file of DIR (no fuzzing); any crash fails.
set -euo pipefail
mode=$1 harness=$2
shift 2
case $mode in
fuzz)
	corpus=$1 scratch=$2 seconds=$3
	shift 3
	rm -rf "$scratch"
	mkdir -p "$scratch/corpus" "$scratch/artifacts"
	cp -r "$corpus"/. "$scratch/corpus/"
	exec "$harness" -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$scratch/artifacts/" "$@" "$scratch/corpus"
	;;
regress)
	dir=$1
	shift
	mapfile -t inputs < <(find "$dir" -type f ! -name '.*' 2>/dev/null | sort)
	if [ ${#inputs[@]} -eq 0 ]; then
		echo "no regression inputs in $dir"
		exit 0
	fi
	exec "$harness" "$@" "${inputs[@]}"
	;;
*)
	echo "usage: $0 fuzz|regress ..." >&2
	exit 2
	;;
esac
