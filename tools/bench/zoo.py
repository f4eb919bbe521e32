#!/usr/bin/python3
"""The model zoo (tools/models/zoo) on every path, one row per net, in one run: PyTorch float,
zaccel's float path, 16-bit fixed point, and `accelctl run --check` on the emulated PYNQ-Z2,
over the 10,000 test images.

PyTorch's images/s are measured on the net's own class (tools/train/zoo.py) at the same batch
and thread count; its accuracy is reference.json's. A net the fixed-point path does not take
yet shows the error accelctl printed.

Usage: zoo.py --accelctl PATH [--batch 64] [--threads 1] [--limit N]
"""
import argparse
import json
import os
import subprocess
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "train"))
from fmnist import load_split  # noqa: E402
from throughput import torch_throughput  # noqa: E402
from zoo import NETS  # noqa: E402


def accelctl(args, *cmd):
    out = subprocess.run([args.accelctl, "-j", *cmd], capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"
    return json.loads(out.stdout), None


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accelctl", required=True)
    ap.add_argument("--zoo", default=os.path.join(here, "..", "models", "zoo"))
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="first N test images (0: all)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    x, y = load_split(args.data, "t10k")
    if args.limit:
        x, y = x[:args.limit], y[:args.limit]
    common = ["--data", args.data, "--limit", str(args.limit)]
    print(f"{len(x)} test images, batch {args.batch}, {args.threads} thread(s); "
          f"PyTorch {torch.__version__}; fixed point w16 a16; device emu:pynq-z2 (modelled)")
    print("| net | PyTorch % | float % | fixed % | fixed - float | unlike codes | "
          "modelled us/image | PyTorch img/s | float img/s | fixed img/s | fixed / PyTorch |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in sorted(NETS):
        model_path = os.path.join(args.zoo, name, "model.onnx")
        ref = json.load(open(os.path.join(args.zoo, name, "reference.json")))
        torch.manual_seed(0)
        t_ips, _ = torch_throughput(NETS[name][0]().eval(), x, y, args.batch, 1)
        ev, err = accelctl(args, "eval", "--model", model_path, "--batch", str(args.batch),
                           "--threads", str(args.threads), *common)
        if err:
            print(f"| {name} | {100 * ref['float_test_accuracy']:.2f} | | | | | | {t_ips:.0f} "
                  f"| | | | {err} |")
            continue
        run, err = accelctl(args, "run", "--device", "emu:pynq-z2", "--check", "--model",
                            model_path, *common)
        unlike = err if err else run["reference_mismatches"]
        latency = "" if err else f"{run['modeled_us_per_image']:.2f}"
        print(f"| {name} | {100 * ref['float_test_accuracy']:.2f} | {ev['float_accuracy']:.2f} "
              f"| {ev['fixed_accuracy']:.2f} | {ev['accuracy_delta']:+.2f} | {unlike} "
              f"| {latency} | {t_ips:.0f} | {ev['float_images_per_s']:.0f} "
              f"| {ev['fixed_images_per_s']:.0f} | {ev['fixed_images_per_s'] / t_ips:.2f} |")


if __name__ == "__main__":
    main()
