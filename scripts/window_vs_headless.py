#!/usr/bin/python3
"""The window's training speed against headless `bench`, interleaved.

    /usr/bin/python3 scripts/window_vs_headless.py [ROUNDS] [SECONDS]     default 12, 6

The window (`convscope --fresh-layout --dataset fashion --reset`, batch 32,
every core, under xvfb-run at 1600x1000) trains while `bench --threads N
--batch 32 --epochs 3` waits, then the window is stopped (SIGSTOP) while bench
runs: ROUNDS times. The host this was written on moves its speed by 10-20%
from one minute to the next, so a window run and a bench run minutes apart
(alternating pairs) compare two different machines. Here each round's two
figures are a few seconds apart, and the median of the rounds is printed.

The window's speed in a round: the steps it reports (`--report-every 1`)
from 1.2 s after it continues (the reports that were due while it was
stopped come first) to SECONDS later, times 32. Headless: bench's median
epoch. Needs a build in build/ (or $BUILD_DIR) and xvfb-run.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 12
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 6
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.environ.get('BUILD_DIR', os.path.join(root, 'build'))
app, bench = os.path.join(build, 'app', 'convscope'), os.path.join(build, 'app', 'bench')
threads = str(os.cpu_count() or 1)

env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp())  # no remembered layout
window = subprocess.Popen(
    ['xvfb-run', '-a', '-s', '-screen 0 1600x1000x24', app, '--fresh-layout', '--dataset', 'fashion', '--reset',
     '--autorun-seconds', str(int(rounds * (seconds + 15) + 60)), '--report-every', '1'],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
reports = []  # (time it arrived, step)


def read_reports():
    for line in window.stdout:
        m = re.match(r'convscope: \d+ s, step (\d+),', line)
        if m:
            reports.append((time.monotonic(), int(m.group(1))))


threading.Thread(target=read_reports, daemon=True).start()
time.sleep(10)  # started, the data loaded, training
pid = int(subprocess.check_output(['pgrep', '-n', '-x', 'convscope']).split()[0])
ratios = []
try:
    for r in range(rounds):
        os.kill(pid, signal.SIGSTOP)
        time.sleep(0.3)
        out = subprocess.run([bench, '--threads', threads, '--batch', '32', '--epochs', '3'], capture_output=True,
                             text=True, check=True).stdout
        headless = float(re.search(r'(\d+) images/s', out).group(1))
        os.kill(pid, signal.SIGCONT)
        start = time.monotonic()
        time.sleep(seconds)
        seen = [(t, n) for t, n in reports if start + 1.2 <= t <= start + seconds]
        if len(seen) < 2:
            continue
        speed = (seen[-1][1] - seen[0][1]) * 32 / (seen[-1][0] - seen[0][0])
        ratios.append(speed / headless)
        print(f'round {r + 1}: window {speed:.0f} images/s, headless {headless:.0f}: {100 * speed / headless:.1f}%',
              flush=True)
finally:
    os.kill(pid, signal.SIGCONT)
    os.kill(pid, signal.SIGTERM)
    window.wait()
if ratios:
    print(f'median of {len(ratios)} rounds: {100 * statistics.median(ratios):.1f}% '
          f'(from {100 * min(ratios):.1f}% to {100 * max(ratios):.1f}%)')
