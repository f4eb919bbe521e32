#!/usr/bin/python3
"""Train LeNet-5 on Fashion-MNIST with a fixed seed and export it to ONNX.

Writes into --out: model.onnx, and reference.json with the float test
accuracy and the logits of the first 100 test images, which libaccel's float
path must reproduce. Inputs are pixels / 255 (no mean or std), NCHW, 1x28x28.
"""
import argparse

from torch import nn

import fmnist


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=fmnist.DATA_DIR)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()

    fmnist.seed_everything(args.seed)
    xtr, ytr = fmnist.load_split(args.data, "train")
    xte, yte = fmnist.load_split(args.data, "t10k")
    model = LeNet5()
    fmnist.train(model, xtr, ytr, xte, yte, args.epochs, args.seed, name="lenet5")
    fmnist.export(model, args.out, xte, yte, {"seed": args.seed, "epochs": args.epochs})


if __name__ == "__main__":
    main()
