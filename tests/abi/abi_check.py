#!/usr/bin/env python3
"""libaccel's ABI against the baseline kept for its SONAME (libaccel/abi/<soname>.abi).

Fails if
  - abidiff finds a change to a function or type of the baseline (new fields at the end of
    the structs that carry their size are allowed: libaccel/abi/suppressions.ini);
  - a symbol of the baseline is gone or changed its version node;
  - a symbol not in the baseline is in a node the baseline already has (released nodes are
    never edited: a new function goes in a new node);
  - an exported function is not declared in the header with a `Since: X.Y` note naming
    its node ACCEL_X.Y, or the header declares a function the library does not export.

Usage: abi_check.py LIB HEADER BASELINE_DIR [--write]   (--write: (re)write the baseline)
"""
import os
import re
import subprocess
import sys
import tempfile


def soname(lib):
    out = subprocess.run(["readelf", "-d", lib], check=True, capture_output=True, text=True).stdout
    m = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    if not m:
        sys.exit(f"FAIL: {lib} has no SONAME")
    return m.group(1)


def abidw(lib, headers, out):
    subprocess.run(["abidw", "--headers-dir", headers, "--drop-private-types",
                    "--exported-interfaces-only", "--no-corpus-path", "--no-comp-dir-path",
                    "--short-locs", "--out-file", out, lib], check=True)


def symbols(abi_xml):
    """{name: version} of the defined function symbols an ABI dump lists."""
    text = open(abi_xml).read()
    syms = {}
    for m in re.finditer(r"<elf-symbol name='(\w+)' version='([\w.]*)'[^>]*type='func-type'[^>]*"
                         r"is-defined='yes'", text):
        syms[m.group(1)] = m.group(2)
    return syms


def declared(header):
    """{function: since} of the header's ACCEL_API functions."""
    text = open(header).read()
    decls = {}
    # Each declaration, with the comment just before it.
    for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/\s*)?ACCEL_API[^;]*?\b(accel_\w+)\s*\(", text, re.S):
        since = re.search(r"Since: (\d+\.\d+)", m.group(1) or "")
        decls[m.group(2)] = since.group(1) if since else None
    return decls


def main():
    args = [a for a in sys.argv[1:] if a != "--write"]
    if len(args) != 3:
        sys.exit(__doc__)
    lib, header, base_dir = args
    name = soname(lib)
    baseline = os.path.join(base_dir, name + ".abi")
    suppr = os.path.join(base_dir, "suppressions.ini")
    headers = os.path.dirname(header)
    if "--write" in sys.argv:
        abidw(lib, headers, baseline)
        print(f"wrote {baseline}")
        return 0

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        current = os.path.join(tmp, "current.abi")
        abidw(lib, headers, current)
        now = symbols(current)

        for fn, since in sorted(declared(header).items()):
            if fn not in now:
                failures.append(f"{fn} is declared in the header but not exported")
            elif since is None:
                failures.append(f"{fn} has no 'Since: X.Y' note in the header")
            elif now[fn] != "ACCEL_" + since:
                failures.append(f"{fn} says Since: {since} but is in node {now[fn]}")
        decl = declared(header)
        for fn in sorted(set(now) - set(decl)):
            failures.append(f"{fn} is exported but not declared in the header")

        if not os.path.exists(baseline):
            failures.append(f"no baseline for {name}: a new SONAME starts a new baseline, "
                            f"written with `cmake --build build --target abi-baseline`")
        else:
            base = symbols(baseline)
            old_nodes = set(base.values())
            for fn, node in sorted(base.items()):
                if fn not in now:
                    failures.append(f"{fn} ({node}) was removed: that breaks the ABI, which "
                                    "needs a new SONAME")
                elif now[fn] != node:
                    failures.append(f"{fn} moved from node {node} to {now[fn]}")
            for fn in sorted(set(now) - set(base)):
                if now[fn] in old_nodes:
                    failures.append(f"{fn} was added to node {now[fn]}, which was released: "
                                    "new functions go in a new node")
            diff = subprocess.run(["abidiff", "--no-added-syms", "--suppressions", suppr,
                                   baseline, current], capture_output=True, text=True)
            if diff.returncode & 3:
                failures.append("abidiff could not compare:\n" + diff.stdout + diff.stderr)
            elif diff.returncode:
                failures.append("abidiff: the ABI of the baseline changed:\n" + diff.stdout)

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"{name}: {len(now)} functions, ABI compatible with {os.path.basename(baseline)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
