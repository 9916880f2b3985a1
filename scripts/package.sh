#!/bin/sh
# Builds the Debian package dist/convscope_<version>_amd64.deb with CPack:
# the window, the CLI, the desktop entry and icons, the manual pages, and the
# full MNIST (so that the installed program works offline). Its Depends are
# worked out from the binaries (dpkg-shlibdeps).
#
#   scripts/package.sh              then: sudo apt-get install ./dist/convscope_*.deb
#
# Installs what is missing first (scripts/setup.sh). Builds in build-package/
# (or $BUILD_DIR), without the tests, for /usr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD_DIR:-$root/build-package}

"$here/setup.sh"

# The full MNIST to carry: where setup.sh put it, else fetched for the package.
mnist=$("$here/fetch_mnist.sh" --where)
if [ ! -f "$mnist/t10k-labels-idx1-ubyte.gz" ]; then
    mnist=$build/mnist
    "$here/fetch_mnist.sh" "$mnist"
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
      -DCONVSCOPE_GUI=ON -DCONVSCOPE_TESTS=OFF -DCONVSCOPE_SANITIZE=OFF -DCONVSCOPE_MNIST_DIR="$mnist" >/dev/null
cmake --build "$build" -j"$(nproc)" --target convscope convscope-cli
mkdir -p "$root/dist"
(cd "$build" && cpack -G DEB -B "$root/dist")
rm -rf "$root/dist/_CPack_Packages"
for deb in "$root"/dist/convscope_*.deb; do
    echo "package.sh: built $deb"
    dpkg-deb --field "$deb" Package Version Architecture Depends Installed-Size
done
