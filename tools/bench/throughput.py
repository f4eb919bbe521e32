#!/usr/bin/python3
"""Throughput of zaccel's bit-exact fixed-point kernels against PyTorch float inference of the
same network and weights, at the same batch size and thread count, in one run.

Usage: throughput.py --accelctl PATH [--batch 64] [--threads 1] [--wbits 16 --abits 16]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
from fmnist import load_split  # noqa: E402
from train_lenet5 import LeNet5  # noqa: E402


def torch_model(onnx_path):
    """LeNet5 with the ONNX file's weights (the initializers are named after the module)."""
    model = LeNet5()
    inits = {t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy())
             for t in onnx.load(onnx_path).graph.initializer}
    model.load_state_dict({k: inits[k] for k in model.state_dict()})
    return model.eval()


def torch_throughput(model, x, y, batch, repeats):
    best = 0.0
    correct = 0
    with torch.inference_mode():
        model(x[:batch])  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            correct = 0
            for i in range(0, len(x), batch):
                correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
            best = max(best, len(x) / (time.perf_counter() - start))
    return best, 100.0 * correct / len(x)


def zaccel_throughput(args, repeats):
    best = None
    for _ in range(repeats):
        out = subprocess.run([args.accelctl, "-j", "eval", "--model", args.model, "--data",
                              args.data, "--batch", str(args.batch), "--threads",
                              str(args.threads), "--wbits", str(args.wbits), "--abits",
                              str(args.abits)], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout)
        if best is None or r["fixed_images_per_s"] > best["fixed_images_per_s"]:
            best = r
    return best


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accelctl", required=True)
    ap.add_argument("--model", default=os.path.join(here, "..", "models", "lenet5", "model.onnx"))
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--wbits", type=int, default=16)
    ap.add_argument("--abits", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3, help="best of N runs for each side")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    x, y = load_split(args.data, "t10k")
    t_ips, t_acc = torch_throughput(torch_model(args.model), x, y, args.batch, args.repeats)
    z = zaccel_throughput(args, args.repeats)

    print(f"{len(x)} test images, batch {args.batch}, {args.threads} thread(s), best of "
          f"{args.repeats}")
    print(f"{'path':<40} {'accuracy':>9} {'images/s':>10} {'ratio':>6}")
    print(f"{'PyTorch ' + torch.__version__ + ' float':<40} {t_acc:>8.2f}% {t_ips:>10.0f} {1:>6.2f}")
    print(f"{'zaccel float reference':<40} {z['float_accuracy']:>8.2f}% "
          f"{z['float_images_per_s']:>10.0f} {z['float_images_per_s'] / t_ips:>6.2f}")
    label = f"zaccel fixed point w{args.wbits} a{args.abits}"
    print(f"{label:<40} {z['fixed_accuracy']:>8.2f}% {z['fixed_images_per_s']:>10.0f} "
          f"{z['fixed_images_per_s'] / t_ips:>6.2f}")


if __name__ == "__main__":
    main()
