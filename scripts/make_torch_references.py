#!/usr/bin/python3
"""Reference numbers from an independent framework (PyTorch), committed as
tests/data/torch_references.npz and checked by tests/core/tst_references.cpp.

    /usr/bin/python3 scripts/make_torch_references.py      (python3-torch, python3-numpy)

Everything is computed in float64 in PyTorch's own NCHW layout and converted
to ConvScope's NHWC / Keras shapes only at the end, so that no convention of
ours is assumed:

- conv/<case>/...: conv forward and backward. TensorFlow's 'same' padding is
  built as an explicit zero pad (the odd pixel at the bottom and right), then
  torch.nn.functional.conv2d. Z is the pre-activation; dA, dW, db come from
  autograd given dZ.
- pool/<case>/...: max and average pooling, forward and backward, with
  overlapping windows (stride < kernel). Inputs are distinct random values, so
  no maximum is tied.
- lenet/...: LeNet-5 (DESIGN.md) from fixed weights, trained 20 steps with
  Adam (Keras' defaults) on the first 20 x 8 built-in training digits in file
  order; the loss of each step's batch before its update, and the weights after.
- net/...: a network that is not LeNet-5, on a batch of RGB inputs: Rescaling,
  ZeroPadding2D, a stride-2 'same' convolution with an even kernel and no
  bias, an overlapping average pool, Activation, a convolution and a ReLU
  layer, Flatten, Dense, and softmax last (fused with the loss): the logits,
  the loss and the gradient of every weight and of the input.
"""
import gzip
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
out = {}
rng = np.random.default_rng(20261127)


def same_pads(size, kernel, stride):
    """(before, after) of TensorFlow's 'same' along one axis."""
    out_size = -(-size // stride)
    total = max((out_size - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def nhwc(t):  # (m, c, h, w) -> (m, h, w, c)
    return t.detach().permute(0, 2, 3, 1).contiguous().numpy()


def conv_case(name, m, h, w, c_prev, kh, kw, c_new, stride, padding):
    A = rng.uniform(-1, 1, (m, h, w, c_prev))
    W = rng.uniform(-1, 1, (kh, kw, c_prev, c_new))
    b = rng.uniform(-1, 1, (1, 1, 1, c_new))
    At = torch.tensor(A).permute(0, 3, 1, 2).requires_grad_()
    Wt = torch.tensor(W).permute(3, 2, 0, 1).requires_grad_()  # (c_new, c_prev, kh, kw)
    bt = torch.tensor(b.reshape(c_new)).requires_grad_()
    x = At
    if padding == 'same':
        top, bottom = same_pads(h, kh, stride[0])
        left, right = same_pads(w, kw, stride[1])
        x = F.pad(At, (left, right, top, bottom))
    Z = F.conv2d(x, Wt, bt, stride=stride)
    dZ = torch.tensor(rng.uniform(-1, 1, tuple(Z.shape)))
    Z.backward(dZ)
    p = f'conv/{name}/'
    out[p + 'A'], out[p + 'W'], out[p + 'b'] = A, W, b
    out[p + 'stride'] = np.array(stride, np.int64)
    out[p + 'same'] = np.array([padding == 'same'], np.int64)
    out[p + 'Z'], out[p + 'dZ'] = nhwc(Z), nhwc(dZ)
    out[p + 'dA'] = nhwc(At.grad)
    out[p + 'dW'] = Wt.grad.permute(2, 3, 1, 0).numpy()
    out[p + 'db'] = bt.grad.numpy().reshape(1, 1, 1, c_new)


def pool_case(name, m, h, w, c, kh, kw, stride, mode):
    A = rng.permutation(m * h * w * c).reshape(m, h, w, c) / (m * h * w * c) - 0.5  # distinct: no ties
    At = torch.tensor(A).permute(0, 3, 1, 2).requires_grad_()
    pool = F.max_pool2d if mode == 'max' else F.avg_pool2d
    P = pool(At, (kh, kw), stride=stride)
    dP = torch.tensor(rng.uniform(-1, 1, tuple(P.shape)))
    P.backward(dP)
    p = f'pool/{name}/'
    out[p + 'A'] = A
    out[p + 'kernel'] = np.array([kh, kw], np.int64)
    out[p + 'stride'] = np.array(stride, np.int64)
    out[p + 'max'] = np.array([mode == 'max'], np.int64)
    out[p + 'out'], out[p + 'dOut'], out[p + 'dA'] = nhwc(P), nhwc(dP), nhwc(At.grad)


# Odd 'same' padding in both directions, strides, a non-square kernel.
conv_case('same_odd_stride2', 2, 7, 6, 3, 4, 3, 5, (2, 2), 'same')
conv_case('same_stride_2x1', 2, 5, 8, 2, 2, 5, 4, (2, 1), 'same')
conv_case('same_even_kernel', 1, 6, 6, 2, 2, 2, 3, (1, 1), 'same')
conv_case('valid_stride_1x3', 3, 9, 10, 2, 3, 4, 4, (1, 3), 'valid')
pool_case('max_overlap', 2, 7, 6, 3, 3, 2, (2, 1), 'max')
pool_case('avg_overlap', 2, 7, 6, 3, 3, 2, (2, 1), 'avg')
pool_case('max_2x2', 2, 8, 8, 2, 2, 2, (2, 2), 'max')
pool_case('avg_3x3_s3', 1, 9, 7, 2, 3, 3, (3, 3), 'avg')


# ---- LeNet-5, 20 steps of Adam from fixed weights
def read_idx_gz(path):
    data = gzip.open(path).read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


steps, batch = 20, 8
images = read_idx_gz(os.path.join(root, 'resources/digits/train-images-idx3-ubyte.gz'))[:steps * batch]
labels = read_idx_gz(os.path.join(root, 'resources/digits/train-labels-idx1-ubyte.gz'))[:steps * batch]
x_all = torch.tensor(images.astype(np.float64) / 255.0).reshape(-1, 1, 28, 28)

shapes = {'conv2d/kernel': (5, 5, 1, 6), 'conv2d_1/kernel': (5, 5, 6, 16), 'dense/kernel': (400, 120),
          'dense_1/kernel': (120, 84), 'dense_2/kernel': (84, 10)}
keras = {}
for name, shape in shapes.items():
    fan_in = int(np.prod(shape[:-1]))
    # Values that float32 holds exactly: ConvScope's float32 model starts from
    # the very same weights (its double-precision run is what is compared).
    keras[name] = rng.normal(0, np.sqrt(2 / fan_in), shape).astype(np.float32).astype(np.float64)
    keras[name.replace('kernel', 'bias')] = rng.uniform(-0.05, 0.05, shape[-1]).astype(np.float32).astype(np.float64)
params = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in keras.items()}


def forward(x):
    t = lambda k: params[k]
    conv_w = lambda k: t(k).permute(3, 2, 0, 1)
    a = F.relu(F.conv2d(F.pad(x, (2, 2, 2, 2)), conv_w('conv2d/kernel'), t('conv2d/bias')))
    a = F.max_pool2d(a, 2)
    a = F.relu(F.conv2d(a, conv_w('conv2d_1/kernel'), t('conv2d_1/bias')))
    a = F.max_pool2d(a, 2)
    a = a.permute(0, 2, 3, 1).reshape(a.shape[0], -1)  # flatten as Keras: (h, w, c)
    a = F.relu(a @ t('dense/kernel') + t('dense/bias'))
    a = F.relu(a @ t('dense_1/kernel') + t('dense_1/bias'))
    return a @ t('dense_2/kernel') + t('dense_2/bias')


optimizer = torch.optim.Adam(params.values(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
losses = []
for s in range(steps):
    x = x_all[s * batch:(s + 1) * batch]
    y = torch.tensor(labels[s * batch:(s + 1) * batch].astype(np.int64))
    optimizer.zero_grad()
    loss = F.cross_entropy(forward(x), y)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())

for k, v in keras.items():
    out['lenet/initial/' + k] = v.astype(np.float32)  # exact: they were made float32
    out['lenet/final/' + k] = params[k].detach().numpy()
out['lenet/losses'] = np.array(losses)
out['lenet/batch'] = np.array([batch], np.int64)



# ---- A network that is not LeNet-5 (its architecture is spelled out again
# in tst_references.cpp): 11x10x3 -> Rescaling(0.5, 0.1) -> ZeroPadding2D
# ((1, 2), (0, 1)) 14x11x3 -> Conv2D 4@4x4 /2 same, no bias, tanh 7x6x4 ->
# AveragePooling2D 3x3 /1 5x4x4 -> Activation tanh -> Conv2D 3@2x2 valid
# 4x3x3 -> ReLU -> Flatten 36 -> Dense 6 tanh -> Dense 5 softmax.
net_shapes = {'conv_a/kernel': (4, 4, 3, 4), 'conv_b/kernel': (2, 2, 4, 3), 'conv_b/bias': (3,),
              'fc/kernel': (36, 6), 'fc/bias': (6,), 'logits/kernel': (6, 5), 'logits/bias': (5,)}
net = {k: torch.tensor(rng.uniform(-0.6, 0.6, shape), requires_grad=True) for k, shape in net_shapes.items()}
X = rng.uniform(0, 1, (4, 11, 10, 3))
Xt = torch.tensor(X).permute(0, 3, 1, 2).requires_grad_()
y = np.array([0, 3, 4, 1], np.int64)
a = Xt * 0.5 + 0.1
a = F.pad(a, (0, 1, 1, 2))                                   # left, right, top, bottom
top, bottom = same_pads(14, 4, 2)
left, right = same_pads(11, 4, 2)
a = torch.tanh(F.conv2d(F.pad(a, (left, right, top, bottom)), net['conv_a/kernel'].permute(3, 2, 0, 1), stride=2))
a = torch.tanh(F.avg_pool2d(a, 3, 1))
a = F.relu(F.conv2d(a, net['conv_b/kernel'].permute(3, 2, 0, 1), net['conv_b/bias']))
a = a.permute(0, 2, 3, 1).reshape(a.shape[0], -1)
a = torch.tanh(a @ net['fc/kernel'] + net['fc/bias'])
logits = a @ net['logits/kernel'] + net['logits/bias']
loss = F.cross_entropy(logits, torch.tensor(y))
loss.backward()
out['net/input'] = X
out['net/labels'] = y
out['net/logits'] = logits.detach().numpy()
out['net/loss'] = np.array([loss.item()])
out['net/input_gradient'] = nhwc(Xt.grad)
for k, v in net.items():
    out['net/weights/' + k] = v.detach().numpy()
    out['net/gradients/' + k] = v.grad.numpy()

path = os.path.join(root, 'tests/data/torch_references.npz')
np.savez_compressed(path, **out)
print(f'wrote {path}: {len(out)} arrays; LeNet-5 losses {losses[0]:.6f} ... {losses[-1]:.6f} '
      f'(torch {torch.__version__})')
