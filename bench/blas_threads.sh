#!/usr/bin/env bash
# Which thread set-up wins per workload: OpenBLAS on the calling thread (the engine's set-up) or with a
# pool of its own beside libtorch's. Alternates `ndtmoe bench --blas-threads 1` and `--blas-threads 2`
# over three rounds (libtorch's pool at 2 threads in both), writes bench/results/blas-threads-cpu-bBATCHES[-FILTER].jsonl and
# prints each configuration's fastest repeat per set-up and their ratio.
#   [BATCHES="256"] [FILTER=NAME] bench/blas_threads.sh [path/to/ndtmoe]
set -euo pipefail
ndtmoe=${1:-build/app/ndtmoe}
cd "$(dirname "$0")/.."
mkdir -p bench/results
read -r -a batches <<< "${BATCHES:-256}"
batch_names=${batches[*]}
out=bench/results/blas-threads-cpu-b${batch_names// /-}${FILTER:+-$FILTER}.jsonl
{
  for round in 1 2 3; do
    for blas in 1 2; do
      "$ndtmoe" bench --threads 2 --blas-threads "$blas" --repeats 3 --steps 2 --json --filter "${FILTER:-}" --batches "${batches[@]}"
    done
  done
} | tee "$out.tmp"
mv "$out.tmp" "$out"

python3 - "$out" <<'PY'
import json, sys
best = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r["name"], r["batch"], r["blas_threads"])
    best[key] = max(best.get(key, 0), max(r["repeats"]))
print(f"{'configuration':<36} {'batch':>6} {'blas 1':>10} {'blas 2':>10} {'2 / 1':>6}")
for name, batch in sorted({(n, b) for n, b, _ in best}):
    one, two = best.get((name, batch, 1)), best.get((name, batch, 2))
    if one and two:
        print(f"{name:<36} {batch:>6} {one:>10.0f} {two:>10.0f} {two / one:>6.2f}")
PY
