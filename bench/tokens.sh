#!/usr/bin/env bash
# Token-level tracing speed and the latency of the token views' queries: a transformer student with an
# MoE layer in each of its 4 blocks (family ndt, or the one given) over 16 feature tokens is trained
# briefly on 5,000 generated rows, then 100,000 rows (1.6 million tokens, 6.4 million token-layer
# records) are traced into a fresh store three times and every view query is timed.
# Writes bench/results/tokens-cpu[-FAMILY].jsonl.
#   bench/tokens.sh [path/to/ndtmoe] [family]
set -euo pipefail
ndtmoe=$(realpath "${1:-build/app/ndtmoe}")
family=${2:-ndt}
suffix=$([ "$family" = ndt ] && echo "" || echo "-$family")
cd "$(dirname "$0")/.."
mkdir -p bench/results runs
run=runs/tokens-bench-run$suffix
store=runs/tokens-bench$suffix.sqlite
/usr/bin/python3 - <<'PY'
import numpy as np, os
# Class = which of four feature blocks has the largest sum, so every token carries signal.
for name, rows, seed in (("runs/tokens-train.csv", 5000, 1), ("runs/tokens-trace.csv", 100000, 2)):
    if os.path.exists(name):
        continue
    x = np.random.default_rng(seed).normal(size=(rows, 16)).astype(np.float32)
    label = x.reshape(rows, 4, 4).sum(2).argmax(1)
    header = ",".join(f"f{i}" for i in range(16)) + ",block"
    np.savetxt(name + ".tmp", np.column_stack([x, label]), delimiter=",", header=header, comments="",
               fmt=["%.4f"] * 16 + ["%d"])
    os.replace(name + ".tmp", name)
PY
if [ ! -f "$run/run.json" ]; then
  "$ndtmoe" train --data runs/tokens-train.csv --student transformer-moe --student-blocks 4 --student-d 32 --student-heads 2 \
    --family "$family" --experts 8 --epochs 2 --batch-size 256 --teacher none --no-baselines --device cpu --out "$run" >&2
fi
out=bench/results/tokens-cpu$suffix.jsonl
source bench/trace_rounds.sh
trace_rounds "$ndtmoe" "$run" "$store" "$out" --data runs/tokens-trace.csv --no-baselines
/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
traces = [r for r in rows if r["bench"] == "trace"]
best = max(traces, key=lambda r: r["records_per_s"])
print(f"trace of {best['samples']} samples, {best['records']} token-layer records: best {best['records_per_s']:,.0f} records/s "
      f"({best['seconds']:.1f} s; target >= 200,000 records/s)")
slow = [r for r in rows if r["bench"] == "query" and r["median_ms"] > 50]
print("every query's median <= 50 ms" if not slow else f"queries over 50 ms: {[r['query'] for r in slow]}")
PY
