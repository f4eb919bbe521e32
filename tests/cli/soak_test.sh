#!/usr/bin/env bash
# Memory over a long run stays bounded: `accelctl run --check` on the 10,000 test images once,
# then 20 times over one session (200,000 images), each bit-identical to the reference; the
# long run's peak RSS may exceed the short one's by at most 16 MiB.
# Usage: soak_test.sh ACCELCTL
set -u
accelctl=$1
[ -d /usr/share/datasets/fashion-mnist ] || { echo "SKIP: no dataset"; exit 77; }
# peak_kb ARGS...: runs accelctl, prints its peak RSS in KiB; fails unless it succeeds
# bit-identically.
peak_kb() {
	/usr/bin/python3 - "$accelctl" "$@" <<'PY'
import json, resource, subprocess, sys
out = subprocess.run(sys.argv[1:2] + ["-j", "run", "--check"] + sys.argv[2:], capture_output=True, text=True)
if out.returncode != 0:
    sys.exit(f"FAIL: {sys.argv[2:]}: exit {out.returncode}: {out.stderr}")
r = json.loads(out.stdout)
assert r["reference_mismatches"] == 0, r
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r["images"])
PY
}
read -r short n1 < <(peak_kb) || exit 1
read -r long n20 < <(peak_kb --repeat 20) || exit 1
echo "peak RSS: $n1 images $((short / 1024)) MiB, $n20 images $((long / 1024)) MiB"
[ "$n20" -eq 200000 ] || { echo "FAIL: the long run ran $n20 images"; exit 1; }
if [ $((long - short)) -gt $((16 * 1024)) ]; then
	echo "FAIL: the long run's peak RSS grew by $(((long - short) / 1024)) MiB"
	exit 1
fi
echo PASS
