#!/usr/bin/python3
"""Renders the application icon (resources/icons/convscope.png, 256x256) at
the sizes of the freedesktop hicolor theme, into resources/icons/hicolor/
NxN/apps/convscope.png, for the .desktop entry of an installed ConvScope.

Area-averaged downsampling of premultiplied RGBA (no halos at the rounded
edges), written as 8-bit PNGs. NumPy and zlib only:

    /usr/bin/python3 scripts/make_icons.py
"""
import os
import struct
import zlib

import numpy as np

SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, header = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = header
    assert colour == 6 and interlace == 0 and depth in (8, 16), 'expects non-interlaced RGBA'
    bpp = 4 * depth // 8
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * bpp)
    out = np.zeros((h, w * bpp), np.int32)
    prev = np.zeros(w * bpp, np.int32)
    for y in range(h):  # undo the per-row filters (PNG spec, section 9)
        f, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        cur = np.zeros_like(prev)
        for x in range(w * bpp):
            a = cur[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 0: p = 0
            elif f == 1: p = a
            elif f == 2: p = b
            elif f == 3: p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else b if pb <= pc else c
            cur[x] = (line[x] + p) & 0xff
        out[y], prev = cur, cur
    if depth == 16:
        out = out.reshape(h, w * 4, 2)
        px = (out[..., 0] * 256 + out[..., 1]) / 65535.0
    else:
        px = out / 255.0
    return px.reshape(h, w, 4)


def area_weights(n_in, n_out):
    """(n_out, n_in): each output pixel averages the input it covers."""
    m = np.zeros((n_out, n_in))
    s = n_in / n_out
    for i in range(n_out):
        lo, hi = i * s, (i + 1) * s
        for j in range(int(lo), min(int(np.ceil(hi)), n_in)):
            m[i, j] = min(hi, j + 1) - max(lo, j)
    return m / s


def write_png(path, rgba):
    h, w, _ = rgba.shape
    rows = b''.join(b'\x00' + rgba[y].tobytes() for y in range(h))
    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
    png += chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b'')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'wb').write(png)


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'icons')
    src = read_png(os.path.join(root, 'convscope.png'))
    alpha = src[..., 3:4]
    premult = np.concatenate([src[..., :3] * alpha, alpha], axis=2)
    for n in SIZES:
        r = area_weights(src.shape[0], n)
        c = area_weights(src.shape[1], n)
        small = np.einsum('ij,jkc,lk->ilc', r, premult, c)
        a = small[..., 3:4]
        rgb = np.where(a > 0, small[..., :3] / np.maximum(a, 1e-12), 0)
        rgba = np.clip(np.round(np.concatenate([rgb, a], axis=2) * 255), 0, 255).astype(np.uint8)
        write_png(os.path.join(root, 'hicolor', f'{n}x{n}', 'apps', 'convscope.png'), rgba)
        print(f'{n}x{n}')


if __name__ == '__main__':
    main()
