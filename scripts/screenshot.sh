#!/bin/sh
# Starts the real app under Xvfb, lets it train a few seconds, and writes a
# screenshot of the main window (and an enlarged map next to it).
#
#   scripts/screenshot.sh [OUT.png] [SECONDS]      default: screenshot.png, 5
#
# Needs xvfb-run (Debian: xvfb) and a build in build/ (scripts/build.sh, or $BUILD_DIR).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-screenshot.png}
seconds=${2:-5}
app=${BUILD_DIR:-$root/build}/app/convscope
[ -x "$app" ] || { echo "screenshot.sh: build the app first ($app)" >&2; exit 1; }
# A throw-away configuration: the user's remembered layout plays no part.
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT INT TERM
xvfb-run -a -s "-screen 0 1400x900x24" \
  "$app" --autorun-seconds "$seconds" --screenshot "$out" --inspect "layerGrid_conv2d:2"
echo "wrote $out and ${out%.png}-map.png"
