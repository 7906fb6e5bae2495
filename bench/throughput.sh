#!/usr/bin/env bash
# Training throughput of the C++ engine against the same model in Python (Debian's python3-torch), on
# this machine, in one script. Writes bench/results/throughput-<device>.jsonl (one JSON object per
# configuration and engine) and prints the C++/Python ratios. FILTER=mxd runs only the configurations
# whose name contains it (and writes throughput-<device>-mxd.jsonl); BATCHES="256" sets the batch sizes.
#   [FILTER=NAME] [BATCHES="256 4096"] bench/throughput.sh [cpu|cuda] [path/to/ndtmoe]
set -euo pipefail
device=${1:-cpu}
ndtmoe=${2:-build/app/ndtmoe}
python=${PYTHON:-/usr/bin/python3}
cd "$(dirname "$0")/.."
mkdir -p bench/results
filter=${FILTER:-}
read -r -a batches <<< "${BATCHES:-256 4096}"
out=bench/results/throughput-$device${filter:+-$filter}.jsonl

# Three alternating rounds, so a slow spell of a shared machine does not fall on one engine only. The
# comparison uses each engine's fastest repeat over all rounds: on a shared 2-vCPU machine other work
# only ever slows a repeat down (single repeats vary by 3x there), so the fastest is the best estimate
# of what the code itself costs. The per-run medians stay in the JSONL file.
{
  for round in 1 2 3; do
    "$ndtmoe" bench --device "$device" --threads 2 --json --filter "$filter" --batches "${batches[@]}"
    "$python" bench/python_reference.py --device "$device" --threads 2 --filter "$filter" --batches "${batches[@]}"
    OPENBLAS_NUM_THREADS=1 "$python" bench/python_reference.py --device "$device" --threads 2 --filter "$filter" --batches "${batches[@]}"
  done
} | tee "$out.tmp"
mv "$out.tmp" "$out"

"$python" - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
# Python as a plain script runs it, and Python with the engine's thread set-up (OpenBLAS on one thread).
def engine(r):
    if r["engine"] == "python" and r.get("blas_threads", "default") != "default":
        return "python-blas1"
    return r["engine"]
by = {}
for r in rows:
    key = (engine(r), r["name"], r["batch"])
    by[key] = max([by.get(key, 0.0)] + r["repeats"])
print("fastest repeat, samples/s; ratio = C++ / Python, and against Python with OPENBLAS_NUM_THREADS=1")
print(f"{'configuration':34} {'batch':>6} {'C++':>10} {'Python':>10} {'ratio':>7} {'Py blas1':>10} {'ratio':>7}")
for (name_engine, name, batch), cpp in sorted(by.items()):
    if name_engine != "cpp":
        continue
    py = by.get(("python", name, batch), float("nan"))
    py1 = by.get(("python-blas1", name, batch), float("nan"))
    print(f"{name:34} {batch:6d} {cpp:10.0f} {py:10.0f} {cpp / py:7.2f} {py1:10.0f} {cpp / py1:7.2f}")
PY
