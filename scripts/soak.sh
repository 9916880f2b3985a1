#!/bin/sh
# A soak: the window trains on the full MNIST for MINUTES (default 30) under
# Xvfb with every dock showing, and prints every minute its step, speed,
# resident memory and event-loop lateness (convscope --report-every), and the
# events that took the window's thread longest that minute (--event-costs). At the
# end it compares the memory after 5 minutes with the memory at the end, and
# the speed of the first and the last minutes.
#
#   scripts/soak.sh [MINUTES] [DATASET]        default 30, mnist
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
minutes=${1:-30}
dataset=${2:-mnist}
app=${BUILD_DIR:-$root/build}/app/convscope
[ -x "$app" ] || { echo "soak.sh: build the app first ($app)" >&2; exit 1; }
export XDG_CONFIG_HOME=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$XDG_CONFIG_HOME" "$log"' EXIT INT TERM
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --fresh-layout --dataset "$dataset" \
    --autorun-seconds $((minutes * 60)) --report-every 60 --latency-report --event-costs | tee "$log"
# "convscope: 300 s, step N, X images/s, RSS Y MB, ..."
awk -v minutes="$minutes" '
    / s, step / { t = $2 + 0; rss = $9 + 0; speed = $6 + 0
                  if (!first_speed) first_speed = speed; last_speed = speed
                  if (t <= 300) rss5 = rss; last_rss = rss }
    END { if (!rss5) rss5 = last_rss
          printf "soak: %d min; RSS %.0f MB after 5 min, %.0f MB at the end (%+.0f MB); %.0f images/s in the first minute, %.0f in the last\n",
                 minutes, rss5, last_rss, last_rss - rss5, first_speed, last_speed }' "$log"
