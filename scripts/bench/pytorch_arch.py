#!/usr/bin/python3
"""PyTorch companion of `bench --arch`: the same architecture, trained the same way.

Reads a Keras model.to_json() file (what `convscope-cli arch A --json` prints)
of the layers ConvScope has (Conv2D, MaxPooling2D, AveragePooling2D, Flatten,
Dense, Dropout, Activation, ReLU, Rescaling, ZeroPadding2D), builds it in
PyTorch with Keras' semantics (TensorFlow's 'same' padding, NHWC flatten,
he_normal kernels, zero biases, softmax fused with the loss), and trains it
as ../shared/bench/pytorch_lenet5.py trains LeNet-5: Adam (Keras' defaults),
Fashion-MNIST when dataset-fashion-mnist is installed and the network takes
28x28x1 images, random images of the network's input shape otherwise (as
`bench --input HxWxC`). Needs Debian's python3-torch; run it with /usr/bin/python3:

  build/app/convscope-cli arch tiny --json > tiny.json
  /usr/bin/python3 scripts/bench/pytorch_arch.py tiny.json --threads 1 --batch 32 --epochs 1
  build/app/bench --arch tiny.json --threads 1 --batch 32 --epochs 1 --json

Prints one JSON object, with the keys bench --json prints.
"""
import argparse, gzip, json, math, os, statistics, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_training_images(shape):
    """Fashion-MNIST for 28x28x1 networks (when installed); random images of the network's shape otherwise."""
    if shape == (1, 28, 28) and os.path.isdir(FASHION):
        find = lambda stem: next(p for p in (f"{FASHION}/{stem}", f"{FASHION}/{stem}.gz") if os.path.exists(p))
        x = read_idx(find("train-images-idx3-ubyte")).astype(np.float32) / 255
        return "fashion", x, read_idx(find("train-labels-idx1-ubyte")).astype(np.int64)
    rng = np.random.default_rng(0)
    return "random", rng.random((60000,) + shape, np.float32), rng.integers(0, 10, 60000)


def keras_he_normal(w):
    """Keras he_normal: a normal truncated at 2 sigma, scaled to std sqrt(2 / fan_in)."""
    fan_in = w[0].numel()
    std = (2.0 / fan_in) ** 0.5 / 0.87962566103423978
    nn.init.trunc_normal_(w, 0.0, std, -2 * std, 2 * std)


def activation(name):
    return {"linear": nn.Identity(), "softmax": nn.Identity(),  # softmax: fused with the loss
            "relu": nn.ReLU(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid()}[name]


def pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


class SamePad(nn.Module):
    """TensorFlow's 'same': total = max((ceil(n/s) - 1) s + k - n, 0), the smaller half first."""

    def __init__(self, kernel, stride):
        super().__init__()
        self.kernel, self.stride = kernel, stride

    def forward(self, x):
        pads = []
        for n, k, s in ((x.shape[3], self.kernel[1], self.stride[1]), (x.shape[2], self.kernel[0], self.stride[0])):
            total = max((math.ceil(n / s) - 1) * s + k - n, 0)
            pads += [total // 2, total - total // 2]
        return F.pad(x, pads)


class Lambda(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return self.f(x)


def build(arch):
    """An nn.Sequential (NCHW inside) from Keras JSON."""
    layers = arch["config"]["layers"]
    shape = layers[0]["config"].get("batch_input_shape") or layers[0]["config"]["batch_shape"]
    h, w, c = shape[1:]
    input_shape = (c, h, w)
    mods = []
    flat = None
    for layer in layers[1:]:
        kind, cfg = layer["class_name"], layer["config"]
        if kind == "Conv2D":
            k, s = pair(cfg["kernel_size"]), pair(cfg["strides"])
            padding = 0
            if cfg["padding"] == "same":
                if s == (1, 1) and k[0] % 2 and k[1] % 2:
                    padding = (k[0] // 2, k[1] // 2)  # symmetric: the convolution pads (as the LeNet-5 reference)
                else:
                    mods.append(SamePad(k, s))
                h, w = math.ceil(h / s[0]), math.ceil(w / s[1])
            else:
                h, w = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
            conv = nn.Conv2d(c, cfg["filters"], k, s, padding=padding, bias=cfg.get("use_bias", True))
            keras_he_normal(conv.weight)
            if conv.bias is not None:
                nn.init.zeros_(conv.bias)
            mods += [conv, activation(cfg["activation"])]
            c = cfg["filters"]
        elif kind in ("MaxPooling2D", "AveragePooling2D"):
            k, s = pair(cfg["pool_size"]), pair(cfg["strides"])
            mods.append((nn.MaxPool2d if kind == "MaxPooling2D" else nn.AvgPool2d)(k, s))
            h, w = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
        elif kind == "ZeroPadding2D":
            p = cfg["padding"]  # n, [h, w] or [[top, bottom], [left, right]]
            if isinstance(p, int):
                t = b = l = r = p
            elif isinstance(p[0], int):
                t, b, l, r = p[0], p[0], p[1], p[1]
            else:
                (t, b), (l, r) = p
            mods.append(Lambda(lambda x, pads=(l, r, t, b): F.pad(x, pads)))
            h, w = h + t + b, w + l + r
        elif kind == "Flatten":
            mods.append(Lambda(lambda x: x.permute(0, 2, 3, 1).flatten(1)))  # NHWC order, as Keras
            flat = h * w * c
        elif kind == "Dense":
            dense = nn.Linear(flat, cfg["units"], bias=cfg.get("use_bias", True))
            keras_he_normal(dense.weight)
            if dense.bias is not None:
                nn.init.zeros_(dense.bias)
            mods += [dense, activation(cfg["activation"])]
            flat = cfg["units"]
        elif kind == "Dropout":
            mods.append(nn.Dropout(cfg["rate"]))
        elif kind == "Activation":
            mods.append(activation(cfg["activation"]))
        elif kind == "ReLU":
            mods.append(nn.ReLU())
        elif kind == "Rescaling":
            mods.append(Lambda(lambda x, a=cfg["scale"], b=cfg.get("offset", 0.0): x * a + b))
        else:
            raise SystemExit(f"{kind}: not one of ConvScope's layers")
    return nn.Sequential(*mods), input_shape


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("arch", help="Keras model.to_json() text, e.g. from `convscope-cli arch tiny --json`")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    with open(a.arch) as f:
        net, (c, h, w) = build(json.load(f))
    name, x, y = load_training_images((c, h, w))
    X = torch.tensor(x).reshape(len(x), c, h, w)
    Y = torch.tensor(y)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    times, n = [], len(X)
    for _ in range(a.epochs):
        net.train()
        t0 = time.perf_counter()
        idx = torch.randperm(n)
        for i in range(0, n, a.batch):
            b = idx[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(net(X[b]), Y[b]).backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    net.eval()
    with torch.no_grad():
        one, lat = X[:1], []
        for _ in range(200):
            t0 = time.perf_counter()
            net(one)
            lat.append(time.perf_counter() - t0)
    sec = statistics.median(times)
    print(json.dumps({"peer": f"pytorch {torch.__version__}", "arch": a.arch,
                      "parameters": sum(p.numel() for p in net.parameters()), "data": name,
                      "threads": a.threads, "batch": a.batch, "epoch_seconds": round(sec, 3),
                      "images_per_second": round(n / sec, 1),
                      "forward_one_image_ms": round(1000 * statistics.median(lat), 4)}))


if __name__ == "__main__":
    main()
