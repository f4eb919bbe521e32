#!/usr/bin/env bash
# Runs the real accelctl binary: JSON output against its schema, the main job's accuracy
# targets on the whole test set, and clear errors with a non-zero exit for bad input.
# Usage: accelctl_test.sh ACCELCTL SCHEMA_DIR LIB_SCHEMA_DIR
set -u
accelctl=$1
schemas=$2
data=/usr/share/datasets/fashion-mnist
[ -d "$data" ] || { echo "SKIP: no $data"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
# ZACCEL_CLI_LIMIT=N (set for the sanitizer build): the whole-test-set runs take the first N
# images, as ASan and UBSan make each run many times slower.
limit=${ZACCEL_CLI_LIMIT:-}
export ZACCEL_CLI_IMAGES=${limit:-10000}
# accelctl, with --limit N added to a run or an eval that gives none when ZACCEL_CLI_LIMIT is set
acc() {
	if [ -n "$limit" ] && [[ " $* " != *" --limit "* ]] && [[ " $* " =~ \ (run|eval)\  ]]; then
		"$accelctl" "$@" --limit "$limit"
	else
		"$accelctl" "$@"
	fi
}
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_error STATUS "what" "message substring" accelctl args...: exits with STATUS (1: what
# was asked failed, 2: usage), prints nothing to stdout (but its report when `report` is set)
# and one line to stderr, which starts with "accelctl: " and holds the message.
expect_error() {
	local status=$1 what=$2 msg=$3 rc
	shift 3
	"$accelctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$status" ]; then
		fail "$what: exit status $rc, expected $status: $(cat "$tmp/err")"
	elif [ "$(wc -l <"$tmp/err")" -ne 1 ] || { [ -s "$tmp/out" ] && [ -z "${report:-}" ]; }; then
		fail "$what: expected one line on stderr and none on stdout: $(cat "$tmp/out" "$tmp/err")"
	elif ! grep -q '^accelctl: ' "$tmp/err" || ! grep -qF -- "$msg" "$tmp/err"; then
		fail "$what: stderr lacks 'accelctl: ...$msg': $(cat "$tmp/err")"
	fi
}

# check_eval WBITS ABITS MAX_LOSS: the whole test set, JSON valid, fixed within MAX_LOSS points.
check_eval() {
	acc -j eval --wbits "$1" --abits "$2" >"$tmp/eval.json" || { fail "eval w$1 a$2"; return; }
	/usr/bin/python3 - "$schemas/eval.schema.json" "$tmp/eval.json" "$3" <<'PY' || fail "eval w$1 a$2 result"
import json, sys, jsonschema
schema, result = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.validate(result, schema)
assert result["images"] == int(__import__("os").environ["ZACCEL_CLI_IMAGES"]), result
assert result["float_accuracy"] >= 89.0, result
loss = result["float_accuracy"] - result["fixed_accuracy"]
assert loss <= float(sys.argv[3]), f"fixed point loses {loss:.2f} points: {result}"
print(f"w{result['wbits']} a{result['abits']}: float {result['float_accuracy']:.2f}%, "
      f"fixed {result['fixed_accuracy']:.2f}%")
PY
}

validate() {  # validate SCHEMA FILE
	/usr/bin/python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' "$schemas/$1" "$2"
}

check_eval 16 16 0.3
check_eval 8 8 1.0

"$accelctl" eval --limit 200 >"$tmp/text" || fail "text eval"
grep -q '^fixed-point accuracy' "$tmp/text" || fail "text output lacks 'fixed-point accuracy'"

expect_error 1 "missing data dir" "/nonexistent/data" eval --data /nonexistent/data
expect_error 1 "missing model" "/nonexistent/m.onnx" eval --model /nonexistent/m.onnx
printf 'garbage' >"$tmp/bad.onnx"
expect_error 1 "corrupt model" "$tmp/bad.onnx" eval --model "$tmp/bad.onnx"
mkdir "$tmp/data"
cp "$data"/train-* "$tmp/data/"
head -c 5000 "$data/t10k-images-idx3-ubyte.gz" >"$tmp/data/t10k-images-idx3-ubyte.gz"
cp "$data/t10k-labels-idx1-ubyte.gz" "$tmp/data/"
expect_error 1 "truncated images" "t10k-images-idx3-ubyte.gz" eval --data "$tmp/data"
expect_error 2 "bit width out of range" "--wbits" eval --wbits 1
expect_error 1 "unknown layer" "unknown layer 'conv9'" eval --layer-bits conv9=4:8 --limit 10
expect_error 2 "malformed layer bits" "NAME=WBITS:ABITS" eval --layer-bits conv1=4 --limit 10
"$accelctl" eval --layer-bits conv1=4:8 --limit 100 >/dev/null || fail "per-layer bits"
expect_error 2 "unknown command" "nosuch" nosuch
expect_error 2 "layer bits with junk" "'conv1=4:8junk'" eval --layer-bits conv1=4:8junk --limit 10
expect_error 2 "malformed split" "conv1=4,2junk" plan --limit 10 --split conv1=4,2junk
expect_error 2 "split part of zero" "conv1=6,0" plan --limit 10 --split conv1=6,0
expect_error 2 "sweep that would wrap" "--sweep" run --mode sdci --sweep 4294967295 --limit 10
expect_error 2 "batch beyond the session's" "--batch" run --batch 5000 --limit 10
"$accelctl" --version >"$tmp/version" && [ "$(wc -l <"$tmp/version")" -eq 1 ] &&
	grep -Eq '^accelctl [0-9]+\.[0-9]+\.[0-9]+, uapi [0-9]+$' "$tmp/version" || fail "--version: $(cat "$tmp/version")"
# -j and -p work after the command as well as before it.
"$accelctl" dev info -j -p >"$tmp/late.json" && validate dev-info.schema.json "$tmp/late.json" ||
	fail "dev info -j -p"

# The model as jobs on the emulated PYNQ-Z2: every output code equal to the reference kernels'
# on all 10,000 test images, timing split, a trace Perfetto opens.
if acc -j run --check --trace "$tmp/trace.json" >"$tmp/run.json"; then
	validate run.schema.json "$tmp/run.json" || fail "run JSON"
	/usr/bin/python3 - "$tmp/run.json" "$tmp/trace.json" <<'PY' || fail "run result"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["images"] == int(__import__("os").environ["ZACCEL_CLI_IMAGES"]) and r["reference_mismatches"] == 0, r
assert r["accuracy"] >= 89.0, r
assert abs(r["pr_percent"] + r["dma_percent"] + r["compute_percent"] - 100) < 0.5, r
events = [e for e in json.load(open(sys.argv[2]))["traceEvents"] if e["ph"] == "X"]
kinds = {(e["pid"], e["cat"]) for e in events}
assert kinds == {(p, c) for p in (0, 1) for c in ("PR", "DMA", "compute")}, kinds
assert r["reconfigs"] == 2, "each region loaded once, every IP resident"
assert all(e["dur"] >= 0 for e in events)
print(f"run: {r['accuracy']:.2f}%, bit-identical, {r['modeled_us_per_image']:.1f} us/image modeled")
PY
else
	fail "run --check"
fi
# Every weight mode gives the same output codes as the reference on all 10,000 images.
# Jobs of one image put odd-sized outputs (fc3: 20 bytes) at aligned offsets.
for mode in "--mode dasp" "--mode dapp --bram 80" "--mode batch-cached" \
	"--mode batch-cached --job-images 1 --limit 500" "--mode static --job-images 3 --limit 500"; do
	# shellcheck disable=SC2086
	acc -j run --check $mode >"$tmp/mode.json" &&
		validate run.schema.json "$tmp/mode.json" &&
		grep -q '"reference_mismatches":0' "$tmp/mode.json" || fail "run --check $mode"
done
# --dump: a line per image (index, class, 10 codes, 10 logits); two modes, the same bytes.
"$accelctl" run --mode static --limit 300 --dump "$tmp/static.dump" >/dev/null &&
	"$accelctl" run --mode dasp --limit 300 --dump "$tmp/dasp.dump" >/dev/null &&
	[ "$(awk 'NF == 22' "$tmp/static.dump" | wc -l)" -eq 300 ] &&
	cmp -s "$tmp/static.dump" "$tmp/dasp.dump" || fail "run --dump"
expect_error 1 "dump to a missing directory" "/nonexistent/codes" run --limit 10 \
	--dump /nonexistent/codes
"$accelctl" -j eval --device emu:pynq-z2 --limit 300 >"$tmp/evald.json" || fail "eval --device"
validate eval.schema.json "$tmp/evald.json" || fail "eval --device JSON"
grep -q '"fixed_path":"emu:' "$tmp/evald.json" || fail "eval --device did not use the device"
"$accelctl" -j dev info >"$tmp/info.json" && validate dev-info.schema.json "$tmp/info.json" ||
	fail "dev info"
"$accelctl" -j dev regions >"$tmp/regions.json" &&
	validate dev-regions.schema.json "$tmp/regions.json" || fail "dev regions"
"$accelctl" dev regions | grep -q '^region 1: power off (decoupled)' || fail "dev regions text"
expect_error 1 "bad device URI" "expected emu:" run --device bogus --limit 10
expect_error 1 "missing overlay" "/nonexistent.dtbo" run --device emu:/nonexistent.dtbo --limit 10
printf 'not a device tree' >"$tmp/bad.dtbo"
expect_error 1 "corrupt overlay" "$tmp/bad.dtbo" dev info --device "emu:$tmp/bad.dtbo"
expect_error 1 "not a zaccel node" "not a zaccel device" dev info --device /dev/null
expect_error 2 "dev without subcommand" "subcommand" dev

# The IP library: built from the repo's specs, every file valid against its schema, listed and
# verified; a tampered partial, a missing signature and a foreign key each refused.
libschemas=$3
if "$accelctl" lib build --out "$tmp/lib" --limit 10 >/dev/null; then
	/usr/bin/python3 - "$tmp/lib" "$libschemas" <<'PY' || fail "lib build result"
import glob, hashlib, json, jsonschema, os, sys
d, s = sys.argv[1:3]
jsonschema.validate(json.load(open(f"{d}/shell.json")), json.load(open(f"{s}/shell.schema.json")))
manifests = sorted(glob.glob(f"{d}/*/manifest.json"))
assert len(manifests) == 9, manifests
for m in manifests:
    j = json.load(open(m))
    jsonschema.validate(j, json.load(open(f"{s}/ip.schema.json")))
    for p in j["partials"]:
        data = open(os.path.join(os.path.dirname(m), p["file"]), "rb").read()
        assert len(data) == p["bytes"] == 1800 * 404, (m, len(data))
        assert hashlib.sha256(data).hexdigest() == p["sha256"], m
split = {json.load(open(m))["name"]: json.load(open(m))["source"]["out_channels"] for m in manifests}
assert split["conv1_f0-3"] == [0, 4] and split["conv1_f4-5"] == [4, 6], split
PY
else
	fail "lib build"
fi
/usr/bin/python3 -c 'import json, jsonschema, sys
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
	"$(dirname "$libschemas")/../../tools/iplib/pynq-z2-lenet5.json" "$libschemas/ipspec.schema.json" ||
	fail "IP specs against their schema"
"$accelctl" -j lib list --lib "$tmp/lib" >"$tmp/list.json" && validate lib-list.schema.json "$tmp/list.json" ||
	fail "lib list"
"$accelctl" lib list --lib "$tmp/lib" | grep -q '^conv1_f4-5 *conv *conv1\[4:6\]' || fail "lib list text"
"$accelctl" lib show conv1_f0-3 --lib "$tmp/lib" | grep -q '"out_channels"' || fail "lib show"
"$accelctl" -j lib verify --lib "$tmp/lib" >"$tmp/verify.json" &&
	validate lib-verify.schema.json "$tmp/verify.json" || fail "lib verify"
expect_error 1 "lib show of no IP" 'no IP "conv9"' lib show conv9 --lib "$tmp/lib"
report=1 expect_error 1 "lib verify unsigned" "unsigned, and signatures are required" lib verify --lib "$tmp/lib" --require-signed
# SDCI from the library: the paper's split of conv1, bit-identical; a library of other bit
# widths or with a tampered partial refused before anything loads.
acc run --mode sdci --lib "$tmp/lib" --split conv1=4,2 --check >"$tmp/sdcilib.txt" &&
	grep -q "codes unlike reference 0" "$tmp/sdcilib.txt" || fail "run --mode sdci --lib"
expect_error 1 "sdci library of other bit widths" "does not compute layer conv1 as quantized" \
	run --mode sdci --lib "$tmp/lib" --wbits 8 --limit 10
printf 'x' | dd of="$tmp/lib/fc1/rp1.bin" bs=1 seek=5000 conv=notrunc status=none
report=1 expect_error 1 "lib verify tampered" "SHA-256 differs" lib verify --lib "$tmp/lib"
expect_error 1 "sdci tampered partial" "SHA-256 differs" run --mode sdci --lib "$tmp/lib" --limit 10
expect_error 1 "library for static" "for sdci plans" run --mode static --lib "$tmp/lib" --limit 10
openssl genpkey -algorithm ed25519 -out "$tmp/key.pem" 2>/dev/null &&
	openssl pkey -in "$tmp/key.pem" -pubout -out "$tmp/pub.pem" &&
	openssl genpkey -algorithm ed25519 -out "$tmp/other.pem" 2>/dev/null &&
	openssl pkey -in "$tmp/other.pem" -pubout -out "$tmp/other-pub.pem" || fail "openssl keys"
"$accelctl" lib build --out "$tmp/slib" --limit 10 --sign-key "$tmp/key.pem" >/dev/null &&
	"$accelctl" lib verify --lib "$tmp/slib" --trusted-key "$tmp/pub.pem" --require-signed >/dev/null ||
	fail "signed library"
report=1 expect_error 1 "lib verify foreign key" "signature does not verify" lib verify --lib "$tmp/slib" --trusted-key "$tmp/other-pub.pem"
expect_error 1 "lib of no directory" "shell.json" lib list --lib /nonexistent
# The planner: every mode's plan valid, DAPP under a tight budget streams fc1 (the largest).
for mode in static dasp dapp batch-cached auto; do
	"$accelctl" -j plan --limit 10 --mode "$mode" >"$tmp/plan.json" &&
		validate plan.schema.json "$tmp/plan.json" || fail "plan --mode $mode"
done
"$accelctl" -j plan --limit 10 --mode dapp --bram 80 >"$tmp/plan.json" || fail "plan dapp"
/usr/bin/python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
modes = {l["layer"]: l["weights"] for l in p["layers"]}
assert modes["fc1"] == "streamed" and modes["conv1"] == "embedded", modes
assert p["total"]["bram18"] <= 80, p["total"]' "$tmp/plan.json" || fail "dapp streams fc1"
# Layers split by output channel (conv1 as the library's 4 + 2 filters, the last layer too):
# every output code of all 10,000 test images equal to the unsplit model's reference.
"$accelctl" -j plan --limit 10 --split conv1=4,2 --split fc3=8,2 >"$tmp/plan.json" &&
	validate plan.schema.json "$tmp/plan.json" || fail "plan --split"
/usr/bin/python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
parts = [(l["layer"], l["out_channels"]) for l in p["layers"] if l["split"]]
assert parts == [("conv1", [0, 4]), ("conv1", [4, 6]), ("fc3", [0, 8]), ("fc3", [8, 10])], parts' \
	"$tmp/plan.json" || fail "plan --split result"
acc run --check --split conv1=4,2 --split fc3=8,2 >"$tmp/split.txt" &&
	grep -q '^codes unlike reference 0$' "$tmp/split.txt" || fail "run --split is not bit-identical"
expect_error 1 "split not adding up" "add up to 5 output channels, it has 6" plan --limit 10 --split conv1=4,1
# Split by input channel too: cascades passing 64-bit partial sums on, in a static plan and
# under SDCI, on all 10,000 test images.
"$accelctl" -j plan --limit 10 --split conv2=in:3,3 --split fc1=in:200,200 >"$tmp/plan.json" &&
	validate plan.schema.json "$tmp/plan.json" || fail "plan --split in"
/usr/bin/python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
parts = [(l["layer"], l["in_channels"]) for l in p["layers"] if l["layer"] in ("conv2", "fc1")]
assert parts == [("conv2", [0, 3]), ("conv2", [3, 6]), ("fc1", [0, 200]), ("fc1", [200, 400])], parts' \
	"$tmp/plan.json" || fail "plan --split in result"
for mode in static sdci; do
	acc run --mode $mode --check --split conv2=in:3,3 --split fc1=in:200,200 --split conv1=4,2 \
		>"$tmp/split.txt" && grep -q '^codes unlike reference 0$' "$tmp/split.txt" ||
		fail "run --mode $mode --split in is not bit-identical"
done
expect_error 1 "input split not adding up" "add up to 5 input channels, it has 6" plan --limit 10 --split conv2=in:3,2
expect_error 1 "input split unaligned" "multiples of 4 input channels" plan --limit 10 --split fc1=in:3,397
expect_error 1 "split of a pool" "no output channels of its own" plan --limit 10 --split pool1=3,3
expect_error 1 "plan over budget" "BRAM18, the budget is 50" plan --limit 10 --mode static --bram 50
grep -q 'No space left' "$tmp/err" && fail "plan over budget: a misleading strerror: $(cat "$tmp/err")"
expect_error 1 "plan budget of zero" "budget of zero" plan --limit 10 --bram 0
expect_error 1 "plan unknown layer" "unknown layer 'conv9'" plan --limit 10 --stream conv9
# The modes benchmark: its table, every mode at both batch sizes, the same accuracy everywhere.
if "$accelctl" -j bench modes --limit 200 --dapp-bram 80 >"$tmp/bench.json"; then
	validate bench-modes.schema.json "$tmp/bench.json" || fail "bench modes JSON"
	/usr/bin/python3 -c 'import json, sys
b = json.load(open(sys.argv[1]))
assert {(r["mode"], r["batch"]) for r in b["rows"]} == {(m, n) for m in
    ("static", "dasp", "dapp", "batch-cached") for n in (1, 64)}, b["rows"]
assert len({r["accuracy"] for r in b["rows"]}) == 1, "a mode changed the arithmetic"
assert all(r["times_bound"] >= 0.99 for r in b["rows"]), "faster than its own bound"' \
		"$tmp/bench.json" || fail "bench modes result"
else
	fail "bench modes"
fi
# SDCI: bit-identical on every test image; its benchmark's JSON and the figures it must show.
acc run --mode sdci --check --batch 16 --job-images 4 --sweep 128 >"$tmp/sdci.txt" &&
	grep -q "codes unlike reference 0" "$tmp/sdci.txt" && grep -q "reconfigurations" "$tmp/sdci.txt" ||
	fail "run --mode sdci --check"
if "$accelctl" -j bench sdci --limit 300 --sweeps 256 >"$tmp/sdci.json"; then
	validate bench-sdci.schema.json "$tmp/sdci.json" || fail "bench sdci JSON"
	/usr/bin/python3 -c 'import json, sys
b = json.load(open(sys.argv[1]))
rows = b["rows"]
assert [(r["mode"], r["batch"]) for r in rows] == [("dasp", 1), ("sdci", 1), ("dasp", 64),
    ("sdci", 64)], rows
assert len({r["accuracy"] for r in rows}) == 1, "SDCI changed the arithmetic"
sdci = [r for r in rows if r["mode"] == "sdci"]
assert all(r["reconfigs_per_image"] > 0 and r["pr_hidden_fraction"] > 0 for r in sdci), sdci
assert sdci[1]["reconfigs_per_image"] < sdci[0]["reconfigs_per_image"], sdci' \
		"$tmp/sdci.json" || fail "bench sdci result"
else
	fail "bench sdci"
fi
expect_error 1 "lib build into a file" "$tmp/run.json" lib build --out "$tmp/run.json" --limit 10
expect_error 1 "lib build over a library" "not empty" lib build --out "$tmp/lib" --limit 10

[ "$failures" -eq 0 ] && echo "PASS" || exit 1
