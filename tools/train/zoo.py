#!/usr/bin/python3
"""Train the model zoo on Fashion-MNIST and export each net with torch.onnx.export as it is.

Each net is written the way PyTorch tutorials write it, so that its ONNX file holds the
operators and idioms users' exports hold. `--net NAME` (repeatable; default every net) writes
--out/NAME/model.onnx and reference.json (fmnist.export). Seeded and single-threaded: the same
PyTorch gives the same files.
"""
import argparse
import os

import torch
import torch.ao.quantization as tq
import torch.nn.functional as F
from torch import nn

import fmnist


class SoftmaxNet(nn.Module):
    """nn.Softmax as the last layer."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 84), nn.ReLU(), nn.Linear(84, 10), nn.Softmax(dim=1))

    def forward(self, x):
        return self.body(x)


class ViewNet(nn.Module):
    """x.view(x.size(0), -1) in forward(): Shape, Gather, Unsqueeze, Concat and Reshape."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 84)
        self.fc2 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        return self.fc2(F.relu(self.fc1(x)))


class Bn1dNet(nn.Module):
    """nn.BatchNorm1d after a linear layer."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 96), nn.BatchNorm1d(96), nn.ReLU(), nn.Linear(96, 10))

    def forward(self, x):
        return self.body(x)


class LeNet5Tanh(nn.Module):
    """LeCun's LeNet-5: tanh and average pooling."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
            nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))

    def forward(self, x):
        return self.body(x)


class AvgPadNet(nn.Module):
    """nn.AvgPool2d with padding, which the export records as a Pad and an AveragePool."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.AvgPool2d(3, stride=2, padding=1),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
            nn.Linear(784, 10))

    def forward(self, x):
        return self.body(x)


class ResidualNet(nn.Module):
    """A residual block: two convolutions added to their input."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.conv_a = nn.Conv2d(8, 8, 3, padding=1)
        self.conv_b = nn.Conv2d(8, 8, 3, padding=1)
        self.head = nn.Sequential(nn.MaxPool2d(2), nn.Flatten(), nn.Linear(392, 10))

    def forward(self, x):
        x = self.stem(x)
        y = self.conv_b(F.relu(self.conv_a(x)))
        return self.head(F.relu(x + y))


def dw_block(cin, cout, stride):
    return [nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin), nn.BatchNorm2d(cin),
            nn.ReLU6(), nn.Conv2d(cin, cout, 1), nn.BatchNorm2d(cout), nn.ReLU6()]


class DwSepNet(nn.Module):
    """Depthwise-separable blocks with BN and ReLU6, then global average pooling."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU6(),
            *dw_block(8, 16, 2), *dw_block(16, 32, 2),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))

    def forward(self, x):
        return self.body(x)


class LeakyCeilBnNet(nn.Module):
    """BatchNorm2d on the input, LeakyReLU(0.1), and MaxPool2d(2, ceil_mode=True) on odd sizes."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm2d(1),
            nn.Conv2d(1, 8, 3), nn.LeakyReLU(0.1), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(8, 16, 3), nn.LeakyReLU(0.1), nn.MaxPool2d(2, ceil_mode=True),
            nn.Flatten(), nn.Linear(16 * 6 * 6, 10))

    def forward(self, x):
        return self.body(x)


class ConcatNet(nn.Module):
    """Two branches, a 1x1 and a 3x3 convolution, joined by a channel Concat."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.branch1 = nn.Conv2d(8, 8, 1)
        self.branch3 = nn.Conv2d(8, 8, 3, padding=1)
        self.head = nn.Sequential(nn.MaxPool2d(2), nn.Flatten(), nn.Linear(784, 10))

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([F.relu(self.branch1(x)), F.relu(self.branch3(x))], dim=1)
        return self.head(x)


class HardActNet(nn.Module):
    """MobileNetV3's activations: nn.Hardswish after each convolution, nn.Hardsigmoid after the
    hidden linear layer; exported at opset 14, PyTorch 1.13's default, which has HardSwish."""

    opset = 14

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.Hardswish(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.Hardswish(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(784, 64), nn.Hardsigmoid(), nn.Linear(64, 10))

    def forward(self, x):
        return self.body(x)


class HardActOpset13Net(HardActNet):
    """HardActNet exported at opset 13, which has no HardSwish: the export writes each
    nn.Hardswish as x * HardSigmoid(x), a HardSigmoid and a Mul."""

    opset = 13


def pow2_qparams(scale, zero_point):
    """Rounds each scale up to the next power of two; the zero point is 0."""
    return torch.exp2(torch.ceil(torch.log2(scale))), torch.zeros_like(zero_point)


class Pow2MinMaxObserver(tq.MinMaxObserver):
    """MinMaxObserver whose scale is a power of two."""

    def calculate_qparams(self):
        return pow2_qparams(*super().calculate_qparams())


class Pow2MovingAverageMinMaxObserver(tq.MovingAverageMinMaxObserver):
    """MovingAverageMinMaxObserver whose scale is a power of two."""

    def calculate_qparams(self):
        return pow2_qparams(*super().calculate_qparams())


def pow2_fake_quant(observer):
    return tq.FakeQuantize.with_args(observer=observer, dtype=torch.qint8,
                                     qscheme=torch.per_tensor_symmetric,
                                     quant_min=-128, quant_max=127)


POW2_QAT_QCONFIG = tq.QConfig(activation=pow2_fake_quant(Pow2MovingAverageMinMaxObserver),
                              weight=pow2_fake_quant(Pow2MinMaxObserver))


class QdqLeNet5(nn.Module):
    """LeNet-5 (ReLU, max pooling) trained with PyTorch's eager-mode quantization-aware
    training (fuse_modules_qat, prepare_qat): int8 activations and weights, per-tensor
    symmetric, every scale a power of two and every zero point 0. The prepared model, fake
    quantization in place, is exported as QuantizeLinear/DequantizeLinear pairs."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(400, 120)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(120, 84)
        self.relu4 = nn.ReLU()
        self.fc3 = nn.Linear(84, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.pool1(self.relu1(self.conv1(self.quant(x))))
        x = self.flatten(self.pool2(self.relu2(self.conv2(x))))
        x = self.relu4(self.fc2(self.relu3(self.fc1(x))))
        return self.dequant(self.fc3(x))

    def train(self, mode=True):
        """The observers run in training only: evaluation, the export and the reference
        logits all see the scales training left."""
        super().train(mode)
        return self.apply(tq.enable_observer if mode else tq.disable_observer)

    @staticmethod
    def prepare(model):
        """Fuses conv+relu and linear+relu and inserts the fake quantization (QAT)."""
        model.train()
        model.qconfig = POW2_QAT_QCONFIG
        tq.fuse_modules_qat(model, [["conv1", "relu1"], ["conv2", "relu2"],
                                    ["fc1", "relu3"], ["fc2", "relu4"]], inplace=True)
        tq.prepare_qat(model, inplace=True)


def nll_of_probabilities(out, y):
    return F.nll_loss(torch.log(out.clamp_min(1e-12)), y)


NETS = {
    "softmax": (SoftmaxNet, nll_of_probabilities),
    "view_flatten": (ViewNet, None),
    "bn1d": (Bn1dNet, None),
    "lenet5_tanh": (LeNet5Tanh, None),
    "avgpool_pad": (AvgPadNet, None),
    "residual": (ResidualNet, None),
    "dwsep_bn_relu6": (DwSepNet, None),
    "concat": (ConcatNet, None),
    "leaky_ceil_bn": (LeakyCeilBnNet, None),
    "hard_act": (HardActNet, None),
    "hard_act_opset13": (HardActOpset13Net, None),
    "qdq_lenet5": (QdqLeNet5, None),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=fmnist.DATA_DIR)
    ap.add_argument("--out", required=True)
    ap.add_argument("--net", action="append", choices=sorted(NETS))
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20261201)
    args = ap.parse_args()

    xtr, ytr = fmnist.load_split(args.data, "train")
    xte, yte = fmnist.load_split(args.data, "t10k")
    for name in args.net or list(NETS):
        cls, loss_fn = NETS[name]
        fmnist.seed_everything(args.seed)
        model = cls()
        if hasattr(cls, "prepare"):
            cls.prepare(model)
        fmnist.train(model, xtr, ytr, xte, yte, args.epochs, args.seed, loss_fn=loss_fn,
                     name=name)
        fmnist.export(model, os.path.join(args.out, name), xte, yte,
                      {"net": name, "idiom": cls.__doc__, "seed": args.seed,
                       "epochs": args.epochs, "torch": torch.__version__},
                      opset=getattr(cls, "opset", 13))


if __name__ == "__main__":
    main()
