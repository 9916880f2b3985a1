#!/bin/sh
# The README's second command (and CI's): installs what is missing, builds,
# and runs the whole test suite through CTest; then builds the core and its
# tests again with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
# and runs them there; then runs each fuzz target for a few seconds on its
# committed corpus (scripts/fuzz.sh --smoke: clang, libFuzzer, build-fuzz/).
# Any failure, sanitizer report or fuzzing finding fails the run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
"$here/setup.sh"
"$here/build.sh"
echo "== tests (Release)"
(cd "${BUILD_DIR:-$root/build}" && ctest --output-on-failure)

echo "== core tests under AddressSanitizer + UndefinedBehaviorSanitizer"
asan=$root/build-asan
cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONVSCOPE_GUI=OFF -DCONVSCOPE_SANITIZE=ON >/dev/null
cmake --build "$asan" -j"$(nproc)"
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd "$asan" && ctest --output-on-failure)

echo "== fuzz smoke: each fuzz target on its committed corpus, a few seconds (clang, libFuzzer + ASan + UBSan)"
"$here/fuzz.sh" --smoke -j "$(nproc)"
