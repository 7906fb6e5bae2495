#!/usr/bin/env bash
# Fuzzes the readers of outside bytes (tests/fuzz: CSV, ARFF, IDX, run.json and trainer state, trace
# stores) with libFuzzer under AddressSanitizer and UndefinedBehaviorSanitizer. Builds the targets with
# clang in build-fuzz (packaging/install-deps.sh --fuzz installs it), runs each for RUNS executions from
# its committed corpus, keeps as that corpus the fewest inputs that reach all the code reached (the
# store's inputs, 50 KB each, stay out), copies every crash into it as a regression input, and writes one
# JSON line per target to bench/results/fuzz.jsonl.
#   bench/fuzz.sh [--runs 1000000] [--targets "csv arff idx run_json store"] [--jobs N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=1000000 targets="csv arff idx run_json store" jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "fuzz.sh: unknown argument $1 (--runs N, --targets \"...\", --jobs N)" >&2; exit 2 ;;
  esac
done
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing: bash packaging/install-deps.sh --fuzz" >&2; exit 1; }

sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNDTMOE_FUZZ=ON \
  -DNDTMOE_BUILD_GUI=OFF -DNDTMOE_BUILD_TESTS=OFF -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link $sanitizers" \
  -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" >/dev/null
cmake --build build-fuzz -j "$jobs" $(printf ' --target fuzz_%s' $targets)

results=bench/results/fuzz.jsonl
: >"$results"
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
for target in $targets; do
  corpus=tests/fuzz/corpus/$target
  work=$(mktemp -d)
  cp -r "$corpus"/. "$work/"
  mkdir -p "$work/crashes"
  max_len=$([ "$target" = store ] && echo 65536 || echo 8192)
  start=$(date +%s)
  status=0
  build-fuzz/tests/fuzz/fuzz_$target -runs="$runs" -max_len="$max_len" -rss_limit_mb=4096 -timeout=20 \
    -artifact_prefix="$work/crashes/" -print_final_stats=1 "$work" >"$work/log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - start ))
  executions=$(grep -oP 'stat::number_of_executed_units:\s*\K[0-9]+' "$work/log" | tail -1)
  crashes=$(find "$work/crashes" -type f | wc -l)
  cp "$work"/crashes/* "$corpus"/ 2>/dev/null || true
  if [ "$target" != store ]; then
    # The corpus becomes the smallest set of inputs that reaches all the code reached so far, plus the
    # hand-written seeds and every crash (files not named by a SHA-1).
    minimal=$(mktemp -d)
    build-fuzz/tests/fuzz/fuzz_$target -merge=1 -max_len="$max_len" -artifact_prefix="$work/crashes/" "$minimal" "$corpus" "$work" >/dev/null 2>&1 || true
    find "$corpus" -type f -regextype egrep -regex '.*/[0-9a-f]{40}' -delete
    cp -n "$minimal"/* "$corpus"/ 2>/dev/null || true
    rm -rf "$minimal"
  fi
  printf '{"target":"%s","executions":%s,"seconds":%s,"crashes":%s,"exit_status":%s,"corpus_files":%s}\n' \
    "$target" "${executions:-0}" "$seconds" "$crashes" "$status" "$(find "$corpus" -type f | wc -l)" | tee -a "$results"
  [ "$crashes" -eq 0 ] || { echo "fuzz.sh: $target crashed; the log says:" >&2; grep -A25 -m1 'ERROR\|==ERROR\|runtime error\|terminate' "$work/log" >&2 || tail -40 "$work/log" >&2; }
  rm -rf "$work"
done
