#!/usr/bin/env bash
# The sparsity–accuracy frontier of the Mixture of Decoders paper at our scale: a vision-transformer
# teacher on Fashion-MNIST (12,000 images, 20% held out), its first feed-forward block (the one whose
# zero-ablation costs most: 84.2% -> 66.3%; the second and third cost under a point) replaced by MxD,
# the transcoder and the skip transcoder at equal parameter count (a transcoder of 32·d units), for
# K = 1 … 32, and MxD with its tree gate. Writes bench/results/mxd-frontier.jsonl and
# mxd-frontier-tree-gate.jsonl (one `ndtmoe decompose --json` object per K) and
# prints the table of docs/quality.md; keeps the run in runs/mxd-frontier-teacher.
#   bench/mxd_frontier.sh [path/to/ndtmoe] [device]
set -euo pipefail
ndtmoe=${1:-build/app/ndtmoe}
device=${2:-auto}
cd "$(dirname "$0")/.."
mkdir -p bench/results
run=runs/mxd-frontier-teacher
if [[ ! -f $run/run.json ]]; then
  "$ndtmoe" train --data builtin:fashion-mnist --rows 12000 --device "$device" --seed 0 \
    --teacher-epochs 15 --teacher-lr 1e-3 --patch 4 --teacher-d 64 --teacher-blocks 3 --teacher-heads 4 \
    --epochs 1 --no-baselines --out "$run" > /dev/null
fi
out=bench/results/mxd-frontier.jsonl tree=bench/results/mxd-frontier-tree-gate.jsonl
for k in 1 2 4 8 16 32; do
  "$ndtmoe" decompose --run "$run" --layer teacher.block0.ffn --k "$k" --epochs 10 --device "$device" --json
done > "$out.tmp"
mv "$out.tmp" "$out"
# The same with MxD's tree gate (one tree of depth 10: 1,024 decoders), the stand-in alone.
for k in 1 2 4 8 16 32; do
  "$ndtmoe" decompose --run "$run" --layer teacher.block0.ffn --k "$k" --gate tree --depth 10 --no-baselines --epochs 10 --device "$device" --json
done > "$tree.tmp"
mv "$tree.tmp" "$tree"
python3 bench/mxd_frontier_report.py "$out" --tree-gate "$tree"
