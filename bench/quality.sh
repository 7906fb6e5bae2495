#!/usr/bin/env bash
# Reproduces the quality numbers in docs/quality.md: 5-fold stratified cross-validation (seed 0) of
# teacher, NDT-MoE student and baselines on the shared tabular data sets. Writes
# bench/results/quality-<name>.json (the `ndtmoe train --json` object) per data set. Defaults for
# breast_cancer; wine (178 rows) with a two-block teacher; digits, whose 64 columns are 8x8 images, with a
# vision-transformer teacher and a two-expert student (see docs/quality.md for why; the baselines train
# with the same flags).
#   bench/quality.sh [path/to/ndtmoe] [data dir]
set -euo pipefail
ndtmoe=${1:-build/app/ndtmoe}
data=${2:-../shared/data}
cd "$(dirname "$0")/.."
mkdir -p bench/results
declare -A flags=(
  [breast_cancer]=""
  [wine]="--teacher-blocks 2"
  [digits]="--image 8x8 --patch 2 --experts 2 --top-k 2 --lr 1e-3 --epochs 150"
)
for name in breast_cancer wine digits; do
  echo "== $name ${flags[$name]}" >&2
  "$ndtmoe" train --data "$data/$name.csv" --folds 5 --seed 0 --device cpu --json ${flags[$name]} ${QUALITY_FLAGS:-} \
    > "bench/results/quality-$name.json.tmp"
  mv "bench/results/quality-$name.json.tmp" "bench/results/quality-$name.json"
done
/usr/bin/python3 - <<'PY'
import json
print(f"{'data set':15} {'teacher':>16} {'student':>16} {'mlp':>16} {'moe':>16} {'agreement':>10}")
for name in ["breast_cancer", "wine", "digits"]:
    j = json.load(open(f"bench/results/quality-{name}.json"))
    m, s = j["metrics"], j["stddev"]
    cell = lambda model: f"{100*m[model]['accuracy']:6.2f} ± {100*s[model]['accuracy']:5.2f}"
    print(f"{name:15} {cell('teacher'):>16} {cell('student'):>16} {cell('mlp'):>16} {cell('moe'):>16} {100*m['agreement']['agreement']:9.2f}%")
PY
