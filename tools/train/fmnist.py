"""Fashion-MNIST for the training scripts: loading, a seeded training loop, accuracy, and the
ONNX export with its reference.json.

Inputs are pixels / 255 (no mean or std), NCHW, 1x28x28, as libaccel feeds them.
"""
import gzip
import json
import os
import struct

import numpy as np
import torch
from torch import nn

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def seed_everything(seed):
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)


def train(model, xtr, ytr, xte, yte, epochs, seed, lr=2e-3, loss_fn=None, name="model"):
    """Adam with a cosine schedule, batches of 64 in a seeded order; prints test accuracy
    after each epoch. `loss_fn` takes (output, labels); cross-entropy on logits by default."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    gen = torch.Generator().manual_seed(seed)
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss_fn(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
        sched.step()
        print(f"{name} epoch {epoch + 1}: test accuracy {evaluate(model, xte, yte):.4f}",
              flush=True)


def export(model, out_dir, xte, yte, meta, opset=13):
    """Writes out_dir/model.onnx as torch.onnx.export gives it (opset 13 unless given, a
    symbolic batch)
    and out_dir/reference.json: the float test accuracy and the outputs of the first 100 test
    images, which libaccel's float path must reproduce."""
    model.eval()
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "model.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=opset)
    with torch.no_grad():
        logits = model(xte[:100]).tolist()
    ref = dict(meta)
    ref.update({"float_test_accuracy": evaluate(model, xte, yte), "test_images": len(xte),
                "input_scale": "pixel / 255", "logits_first_100": logits})
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(ref, f)
    print(f"float test accuracy {ref['float_test_accuracy']:.4f}; wrote {onnx_path}")
    return ref
