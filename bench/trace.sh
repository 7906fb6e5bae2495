#!/usr/bin/env bash
# Tracing speed and the latency of the views' queries on a large store: trains a teacher and a 4-layer
# student on 100,000 generated rows (one epoch each; accuracy is not the point), traces all of them with
# the teacher's predictions into a fresh store three times, and times every query the views send. Writes bench/results/trace-cpu.jsonl (family ndt)
# or bench/results/trace-cpu-FAMILY.jsonl.
#   bench/trace.sh [path/to/ndtmoe] [family]
set -euo pipefail
ndtmoe=${1:-build/app/ndtmoe}
family=${2:-ndt}
suffix=$([ "$family" = ndt ] && echo "" || echo "-$family")
cd "$(dirname "$0")/.."
mkdir -p bench/results runs
run=runs/trace-bench-teacher-run$suffix
store=runs/trace-bench$suffix.sqlite
if [ ! -f "$run/run.json" ]; then
  "$ndtmoe" train --data builtin:rule-tree --rows 100000 --family "$family" --layers 4 --epochs 1 --batch-size 512 --teacher-epochs 1 --no-baselines \
    --device cpu --out "$run" >&2
fi
out=bench/results/trace-cpu$suffix.jsonl
source bench/trace_rounds.sh
trace_rounds "$ndtmoe" "$run" "$store" "$out"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
traces = [r["seconds"] for r in rows if r["bench"] == "trace"]
print(f"trace of {rows[0]['samples']} samples x 4 layers with the teacher: best {min(traces):.2f} s, worst {max(traces):.2f} s (target <= 5 s)")
slow = [r for r in rows if r["bench"] == "query" and r["median_ms"] > 50]
print("every query's median <= 50 ms" if not slow else f"queries over 50 ms: {[r['query'] for r in slow]}")
PY
