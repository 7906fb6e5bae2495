#!/usr/bin/env bash
# GUI latency on a large store: the workbench window open on bench/trace.sh's 100,000-sample store
# while the same run is traced into it again on a worker thread (see bench/gui_latency.cpp).
# Writes bench/results/gui-cpu.jsonl.
#   bench/gui.sh [build dir]
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
run=runs/trace-bench-run
if [ ! -f runs/trace-bench.sqlite ]; then bench/trace.sh "$build/app/ndtmoe" >&2; fi
# A copy, so the extra traced runs do not pile up in the trace benchmark's store.
store=runs/gui-bench.sqlite
rm -f "$store" "$store-wal" "$store-shm"
"$build/app/ndtmoe" trace --run "$run" --store "$store" --device cpu >&2
out=bench/results/gui-cpu.jsonl
QT_QPA_PLATFORM=offscreen "$build/bench/ndtmoe-gui-bench" "$store" "$run" | tee "$out.tmp"
mv "$out.tmp" "$out"
