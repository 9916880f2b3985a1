#!/bin/sh
# Configures and builds ConvScope in Release into build/ (or $BUILD_DIR).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCONVSCOPE_GUI=ON -DCONVSCOPE_SANITIZE=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
