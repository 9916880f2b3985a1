#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang in build-fuzz/ and runs
# each on its corpus (tests/fuzz/corpus/<target>/, only read: new inputs go to
# build-fuzz/corpus/<target>/). A finding of the run fails it; its input is left
# in build-fuzz/findings/<target>/ (copy it to the corpus as crash-<what> once
# fixed, so that it stays a regression case; findings of earlier runs stay
# there to read, and do not fail a later run).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   each target SECONDS (default 60)
#   scripts/fuzz.sh --smoke [TARGET...]     each target 5 seconds (for CI)
#   options: --runs N   stop a target after N executions (or SECONDS, first)
#            -j N       run N targets at a time (default 1)
#            --seeds    regenerate the committed seeds first (make_fuzz_corpus)
# Targets: idx npy npz model session dataset png architecture_json, and by
# name only keras (it fuzzes libhdf5 itself, which crashes; ConvScope reads
# Keras files in a child process, core/io/keras_reader_process.hpp) and
# keras_child (Keras files through that child, as the app reads them; a
# process an input, so give it time rather than runs). Needs
# clang++ (CXX=... to choose another) with libFuzzer, i.e. clang and
# libclang-rt-dev.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
all_targets=(idx npy npz model session dataset png architecture_json)

seconds=60
runs=""
jobs=1
seeds=0
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) seconds=5 ;;
    --runs) runs=$2; shift ;;
    -j) jobs=$2; shift ;;
    --seeds) seeds=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    [0-9]*) seconds=$1 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

echo "== building the fuzz targets (clang, ASan + UBSan + libFuzzer) in $build"
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER="${CXX:-clang++}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCONVSCOPE_GUI=OFF -DCONVSCOPE_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target make_fuzz_corpus $(printf 'fuzz_%s ' "${targets[@]}")

if [ $seeds = 1 ]; then
  echo "== regenerating the seeds in tests/fuzz/corpus"
  "$build/tests/fuzz/make_fuzz_corpus" "$root/tests/fuzz/corpus"
fi

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
mkdir -p "$build/logs"
run_target() {
  local t=$1 status=0 seeds=$1 slow=10
  # keras_child: the same files, read through the child. An input on which
  # libhdf5 loops is stopped after 10 s and refused, as it should be: not a
  # slow unit to report (a run past 25 s is still a timeout, a finding).
  if [ "$t" = keras_child ]; then seeds=keras; slow=30; fi
  mkdir -p "$build/corpus/$t" "$build/findings/$t" "$root/tests/fuzz/corpus/$seeds"
  touch "$build/logs/$t.start" # findings of earlier runs stay for reading, not counted
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" ${runs:+-runs=$runs} -timeout=25 -report_slow_units=$slow -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/findings/$t/" \
    "$build/corpus/$t" "$root/tests/fuzz/corpus/$seeds" >"$build/logs/$t.log" 2>&1 || status=$?
  echo $status >"$build/logs/$t.status"
}

echo "== fuzzing ${targets[*]}: ${seconds}s${runs:+ or $runs runs} each, $jobs at a time (logs in $build/logs)"
for t in "${targets[@]}"; do
  rm -f "$build/logs/$t.status"
  # At most $jobs at a time: wait for any one to end before starting another.
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$t" &
done
wait

failed=0
for t in "${targets[@]}"; do
  log=$build/logs/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  findings=$(find "$build/findings/$t" -type f -newer "$build/logs/$t.start" 2>/dev/null | wc -l)
  status=$(cat "$build/logs/$t.status" 2>/dev/null || echo "?")
  if [ "$status" != 0 ] || [ "$findings" != 0 ]; then
    failed=1
    echo "FAIL  $t: exit $status, $findings finding(s) in $build/findings/$t (see $log)"
    grep -m3 -E 'ERROR|runtime error|deadly signal|out-of-memory|Timeout' "$log" | sed 's/^/      /' || true
  else
    echo "ok    $t: ${execs:-?} executions in ${time:-?} s"
  fi
done
exit $failed
