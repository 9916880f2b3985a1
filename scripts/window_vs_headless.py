#!/usr/bin/python3
"""The window's training speed against headless `bench`, in turns.

    /usr/bin/python3 scripts/window_vs_headless.py [PAIRS] [SECONDS]     default 40, 3

The window (`convscope --fresh-layout --dataset fashion --reset`, batch 32,
every core, under xvfb-run at 1600x1000) and `bench --threads N --batch 32`
both start and stay loaded; they then take turns: one trains for SECONDS
while the other is stopped (SIGSTOP), PAIRS times each, the order of each
pair alternating (window first, then bench first), so that a host that speeds
up or slows down favours neither. The host this was written on moves its
speed by 10-20% from one minute to the next and sometimes within seconds, so
the two figures of a pair must be seconds apart, and many pairs are needed.

A turn's speed: the steps the process reports every 0.1 s (`--report-every`;
the window's from its latest picture, at most 0.1 s old), fitted by least
squares over the turn from 0.6 s after it continues (the reports that were
due while it was stopped come first), times 32. Prints each pair's ratio,
then their median and mean, with a bootstrap 90% interval of the median.
Needs a build in build/ (or $BUILD_DIR) and xvfb-run.
"""
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 40
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3
settle = 0.6
batch = 32
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.environ.get('BUILD_DIR', os.path.join(root, 'build'))
app, bench = os.path.join(build, 'app', 'convscope'), os.path.join(build, 'app', 'bench')
threads = str(os.cpu_count() or 1)


def follow(process, pattern, reports):
    """Appends (arrival time, step) for each line of `process` matching `pattern`."""
    for line in process.stdout:
        m = re.match(pattern, line)
        if m:
            reports.append((time.monotonic(), int(m.group(1))))


def speed(reports, start, stop):
    """Images per second: the least-squares slope of the steps in [start, stop]."""
    seen = [(t, n) for t, n in reports if start <= t <= stop]
    if len(seen) < 3:
        return None
    mt = statistics.fmean(t for t, _ in seen)
    mn = statistics.fmean(n for _, n in seen)
    var = sum((t - mt) ** 2 for t, _ in seen)
    return batch * sum((t - mt) * (n - mn) for t, n in seen) / var if var > 0 else None


env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp())  # no remembered layout
window = subprocess.Popen(
    ['xvfb-run', '-a', '-s', '-screen 0 1600x1000x24', app, '--fresh-layout', '--dataset', 'fashion', '--reset',
     '--autorun-seconds', str(int(pairs * 2 * (seconds + 1) + 120)), '--report-every', '0.1'],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
window_reports, bench_reports = [], []
threading.Thread(target=follow, args=(window, r'convscope: \d+ s, step (\d+),', window_reports), daemon=True).start()
time.sleep(10)  # started, the data loaded, training
pid = int(subprocess.check_output(['pgrep', '-n', '-x', 'convscope']).split()[0])
os.kill(pid, signal.SIGSTOP)
headless = subprocess.Popen([bench, '--threads', threads, '--batch', str(batch), '--epochs', '1000', '--report-every',
                             '0.1'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
threading.Thread(target=follow, args=(headless, r'bench: step (\d+)', bench_reports), daemon=True).start()
while not bench_reports and headless.poll() is None:  # past its SGEMM peak, training
    time.sleep(0.1)
os.kill(headless.pid, signal.SIGSTOP)


def turn(process_id, reports):
    os.kill(process_id, signal.SIGCONT)
    start = time.monotonic()
    time.sleep(seconds)
    os.kill(process_id, signal.SIGSTOP)
    time.sleep(0.05)  # its last lines read
    return speed(reports, start + settle, start + seconds)


ratios = []
try:
    for k in range(pairs):
        if k % 2 == 0:
            w = turn(pid, window_reports)
            h = turn(headless.pid, bench_reports)
        else:
            h = turn(headless.pid, bench_reports)
            w = turn(pid, window_reports)
        if not w or not h:
            continue
        ratios.append(w / h)
        print(f'pair {k + 1}: window {w:.0f} images/s, headless {h:.0f}: {100 * w / h:.1f}%', flush=True)
finally:
    for p in (pid, headless.pid):
        os.kill(p, signal.SIGCONT)
        os.kill(p, signal.SIGTERM)
    window.wait()
    headless.wait()
if ratios:
    rng = random.Random(1)
    medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(2000))
    print(f'median of {len(ratios)} pairs: {100 * statistics.median(ratios):.1f}% '
          f'(90% interval {100 * medians[100]:.1f}-{100 * medians[1899]:.1f}%), mean {100 * statistics.fmean(ratios):.1f}%, '
          f'from {100 * min(ratios):.1f}% to {100 * max(ratios):.1f}%')
