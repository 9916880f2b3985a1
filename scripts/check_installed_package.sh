#!/bin/sh
# Installs the .deb on a bare Debian 12 root and uses it as a user would, from
# /tmp, with no project files: the check that the package is complete.
#
#   ../shared/tools/fresh-debian.sh --out /tmp/debs -- scripts/package.sh
#   ../shared/tools/fresh-debian.sh --no-project --with /tmp/debs/convscope_0.2.0_amd64.deb \
#       --with tests/data/digit-7.png --with scripts/check_installed_package.sh \
#       -- sh with/check_installed_package.sh
set -eux
cd /root
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./with/convscope_*.deb xvfb xauth >/dev/null
convscope --version
convscope-cli --version
ls /usr/share/applications/convscope.desktop /usr/share/icons/hicolor/48x48/apps/convscope.png \
   /usr/share/man/man1/convscope-cli.1 /usr/share/convscope/mnist
cd /tmp
convscope-cli train --data digits --epochs 1 --seed 1 --save m.npz
convscope-cli eval m.npz --data mnist | head -3
convscope-cli predict --image /root/with/digit-7.png | head -3
xvfb-run -a convscope --autorun-seconds 2 --screenshot /tmp/s.png
ls -la /tmp/s.png
echo "installed package: all checks passed"
