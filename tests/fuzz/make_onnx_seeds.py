#!/usr/bin/python3
"""Seeds of the ONNX fuzz corpus for the importer's graph features: a residual block with
BatchNormalization and Softmax, PyTorch's x.view(x.size(0), -1) chain with MatMul and Add, and
Constant + Pad + AveragePool joined by Concat with a grouped, dilated conv and activations.

Usage: make_onnx_seeds.py DIR (writes the three .onnx files there; Debian's python3-onnx).
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper as h, TensorProto as T, numpy_helper as nh


def init(name, shape, seed=0):
    r = np.random.RandomState(seed)
    return nh.from_array((r.randn(*shape) * 0.5).astype(np.float32), name)


def model(nodes, inp, out, inits, opset=13):
    g = h.make_graph(nodes, 'g', [h.make_tensor_value_info('x', T.FLOAT, inp)],
                     [h.make_tensor_value_info(out, T.FLOAT, [])], inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid('', opset)])
    m.ir_version = 7
    return m


# 1: conv, BN, ReLU, residual Add, global pool, flatten, gemm, softmax
m1 = model([
    h.make_node('Conv', ['x', 'w'], ['c'], pads=[1, 1, 1, 1]),
    h.make_node('BatchNormalization', ['c', 's', 'b', 'mu', 'var'], ['n']),
    h.make_node('Relu', ['n'], ['r']),
    h.make_node('Add', ['r', 'x'], ['sum']),
    h.make_node('GlobalAveragePool', ['sum'], ['g']),
    h.make_node('Flatten', ['g'], ['f']),
    h.make_node('Gemm', ['f', 'fw', 'fb'], ['y'], transB=1),
    h.make_node('Softmax', ['y'], ['p'])], ['N', 2, 4, 4], 'p',
    [init('w', [2, 2, 3, 3]), init('s', [2], 1), init('b', [2], 2), init('mu', [2], 3),
     nh.from_array(np.array([1.0, 0.5], np.float32), 'var'), init('fw', [3, 2], 4), init('fb', [3], 5)])
# 2: x.view(x.size(0), -1), MatMul + Add, Tanh
m2 = model([
    h.make_node('Shape', ['x'], ['s']),
    h.make_node('Gather', ['s', 'zero'], ['n']),
    h.make_node('Unsqueeze', ['n', 'axes'], ['n1']),
    h.make_node('Concat', ['n1', 'm1'], ['t'], axis=0),
    h.make_node('Reshape', ['x', 't'], ['v']),
    h.make_node('MatMul', ['v', 'w'], ['mm']),
    h.make_node('Add', ['mm', 'b'], ['a']),
    h.make_node('Tanh', ['a'], ['y'])], ['N', 1, 3, 3], 'y',
    [nh.from_array(np.array(0, np.int64), 'zero'), nh.from_array(np.array([0], np.int64), 'axes'),
     nh.from_array(np.array([-1], np.int64), 'm1'), init('w', [9, 4], 6), init('b', [4], 7)])
# 3: Constant + Pad + AveragePool, a branch joined by Concat, activations, Dropout, Identity
m3 = model([
    h.make_node('Constant', [], ['pads'], value=nh.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))),
    h.make_node('Pad', ['x', 'pads'], ['px']),
    h.make_node('AveragePool', ['px'], ['ap'], kernel_shape=[3, 3]),
    h.make_node('MaxPool', ['x'], ['mp'], kernel_shape=[3, 3], pads=[1, 1, 1, 1], ceil_mode=1),
    h.make_node('Concat', ['ap', 'mp'], ['cat'], axis=1),
    h.make_node('Conv', ['cat', 'dw'], ['dc'], group=2, dilations=[2, 2], pads=[2, 2, 2, 2]),
    h.make_node('Clip', ['dc', 'lo', 'hi'], ['c6']),
    h.make_node('PRelu', ['c6', 'slope'], ['pr']),
    h.make_node('HardSwish', ['pr'], ['hs']),
    h.make_node('Dropout', ['hs'], ['d']),
    h.make_node('Identity', ['d'], ['y'])], ['N', 1, 4, 4], 'y',
    [init('dw', [2, 1, 3, 3], 8), nh.from_array(np.array(0, np.float32), 'lo'),
     nh.from_array(np.array(6, np.float32), 'hi'), init('slope', [2, 1, 1], 9)], opset=14)
names = ['residual-bn-softmax', 'view-chain-matmul-add', 'pad-pool-concat-grouped-conv']
for name, m in zip(names, [m1, m2, m3]):
    onnx.checker.check_model(m)
    with open(os.path.join(sys.argv[1], name + '.onnx'), 'wb') as f:
        f.write(m.SerializeToString())
