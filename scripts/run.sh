#!/bin/sh
# The README's first command: installs what is missing, builds in Release and
# starts ConvScope on the shipped digits. Arguments go to the app.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/setup.sh"
"$here/build.sh"
exec "${BUILD_DIR:-$(dirname "$here")/build}/app/convscope" "$@"
