#!/usr/bin/env bash
# The IMoIE paper's Tables 1 and 2 at our scale (docs/quality.md). MNIST is not packaged in Debian, so
# Fashion-MNIST (the first ROWS training images, the 10,000 test images) and the 8×8 digits of
# ../shared/data (20% held out) stand in. Per data set: code lengths 4, 8, 12 (digits: 4, 8), the
# code without binarisation (L = 16, continuous), the ablations λ_R = 0 and λ_EC = 0 at L = 4 and 8, and
# L_C + L_1 alone at L = 4 (the paper's Figure 2).
# Each run is trained on the labels alone (no teacher, --alpha 1), traced, and checked for the paper's
# failure mode (`ndtmoe explain --method specialization`: accuracy with every expert replaced by its
# mean output — near the model's own when the experts are constant and the encoder classifies).
# Writes one JSON object per run to bench/results/imoie-tables.jsonl and prints the tables.
#   bench/imoie_tables.sh [path/to/ndtmoe] [device]   (ROWS=12000 EPOCHS=15 DIGITS_EPOCHS=100 by default)
set -euo pipefail
ndtmoe=${1:-build/app/ndtmoe}
device=${2:-auto}
rows=${ROWS:-12000}
fashion_epochs=${EPOCHS:-15}
digits_epochs=${DIGITS_EPOCHS:-100}
cd "$(dirname "$0")/.."
mkdir -p bench/results runs/imoie
out=bench/results/imoie-tables.jsonl
store=runs/imoie/traces.sqlite
# Runs finished so far (one JSON line each); a rerun continues after them, FRESH=1 starts over.
partial=$out.partial
[[ ${FRESH:-0} == 1 ]] && rm -f "$partial" "$store"

# one_run DATASET NAME [ndtmoe train flags...]: one JSON line to $partial
one_run() {
  local dataset=$1 name=$2
  shift 2
  local data epochs
  case $dataset in
    fashion-mnist) data=(--data builtin:fashion-mnist --rows "$rows" --test-data builtin:fashion-mnist-test) epochs=$fashion_epochs ;;
    digits) data=(--data ../shared/data/digits.csv --image 8x8) epochs=$digits_epochs ;;
  esac
  if grep -qF "\"dataset\": \"$dataset\", \"name\": \"$name\", \"epochs\": $epochs," "$partial" 2>/dev/null; then return; fi
  local dir=runs/imoie/$dataset-$name start
  start=$(date +%s.%N)
  "$ndtmoe" train "${data[@]}" --family imoie --teacher none --alpha 1 --no-baselines --epochs "$epochs" --batch-size 128 \
    --lr 1e-3 --seed 0 --device "$device" --out "$dir" --json "$@" > "$dir.train.json"
  local seconds
  seconds=$(python3 -c "import time; print(round(time.time() - $start, 1))")
  local id
  id=$("$ndtmoe" trace --store "$store" --run "$dir" --no-teacher --no-embeddings --device "$device" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
  "$ndtmoe" explain --store "$store" --run "$id" --method specialization --device "$device" --json > "$dir.explain.json"
  python3 - "$dataset" "$name" "$seconds" "$dir" "$epochs" "$@" >> "$partial" <<'EOF'
import json, sys
dataset, name, seconds, run, epochs = sys.argv[1:6]
flags = sys.argv[6:]
metrics = json.load(open(run + ".train.json"))["metrics"]
options = json.load(open(run + "/run.json"))["config"]["student"]["family_options"]
alone = {v["item"]: v["value"] for v in json.load(open(run + ".explain.json"))["values"] if v["target"] == "router alone"}
print(json.dumps({
    "dataset": dataset, "name": name, "epochs": int(epochs), "flags": " ".join(flags), "options": options, "seconds": float(seconds),
    "accuracy": metrics["student"]["accuracy"],
    "explicit_accuracy": metrics.get("student_explicit", {}).get("accuracy"),
    "router_alone": {"model": alone.get("accuracy (model)"), "mean_experts": alone.get("accuracy (experts replaced by their mean output)")},
}))
EOF
  echo "imoie-tables: $dataset $name done in ${seconds} s" >&2
}

for dataset in digits fashion-mnist; do
  lengths=(4 8 12)
  [[ $dataset == digits ]] && lengths=(4 8)
  for l in "${lengths[@]}"; do one_run "$dataset" "L$l" --code-length "$l"; done
  one_run "$dataset" "continuous" --code-length 16 --binarize false
  for l in 4 8; do
    one_run "$dataset" "L$l-no-routing-loss" --code-length "$l" --lambda-r 0
    one_run "$dataset" "L$l-no-explicit-loss" --code-length "$l" --lambda-ec 0
  done
  # The paper's Figure 2: L_C and L_1 alone, where the encoder classifies and the experts turn constant.
  one_run "$dataset" "L4-classification-only" --code-length 4 --lambda-r 0 --lambda-ec 0
done
cp "$partial" "$out"
python3 bench/imoie_report.py "$out"
