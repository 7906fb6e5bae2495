#!/usr/bin/env bash
# Reproduces the quality tables in docs/quality.md: 5-fold stratified cross-validation (seed 0) of the
# teacher, the NDT-MoE student and the baselines on the six data sets of ../shared/data with reference
# accuracies, with the defaults and no per-data-set flags (digits.csv declares its 8x8 images by its
# column names). With TUNE=BUDGET (e.g. TUNE=20m) every run first tunes on its training rows
# (`--tune`), and the results are written as quality-tuned-<name>.json.
# Writes bench/results/quality[-tuned]-<name>.json (the `ndtmoe train --json` object) and prints a table.
#   [TUNE=20m] [SETS="iris wine"] bench/quality.sh [path/to/ndtmoe] [data dir]
set -euo pipefail
ndtmoe=$(realpath "${1:-build/app/ndtmoe}")
data=$(realpath "${2:-../shared/data}")
cd "$(dirname "$0")/.."
mkdir -p bench/results
sets=${SETS:-"iris.csv wine.csv breast_cancer.csv digits.csv diabetes.arff glass.arff"}
tag=quality${TUNE:+-tuned}
for file in $sets; do
  name=${file%.*}
  echo "== $name${TUNE:+ (tuned, $TUNE)}" >&2
  "$ndtmoe" train --data "$data/$file" --folds 5 --seed 0 --device cpu --json ${TUNE:+--tune "$TUNE"} > "bench/results/$tag-$name.json.tmp"
  mv "bench/results/$tag-$name.json.tmp" "bench/results/$tag-$name.json"
done
/usr/bin/python3 bench/quality_report.py "$tag" $sets
