#!/usr/bin/env bash
# The MoE-X paper's ablation at our scale (docs/quality.md): on Fashion-MNIST (its ROWS training
# images; the 10,000 test images), with one budget (EPOCHS epochs, 2 layers, d_model 64, labels alone),
#   dense GELU MLP and dense ReLU MLP (one expert of K x H units: the MoEs' active width),
#   Switch (`linear`: softmax gate, GELU experts), ReLU experts with a learned gate and no sparsity router,
#   the sparsity router with GELU experts, and full MoE-X (ReLU experts, sparsity router),
#   MoE-X and Switch up-cycled from dense runs (ReLU and GELU) as wide as all experts together (each expert starts
#   as its slice: copies would start every expert equal, and the parameter-free sparsity router would
#   send every row to the same K of them).
# Each run is traced on the test images with neuron records (`trace --neurons on`) and compared
# (`ndtmoe compare --json`): accuracy, L0 (firing neurons per image, summed over layers), dead neurons,
# class selectivity. Writes one JSON object per run to bench/results/moe-x-ablation.jsonl.
#   bench/moe_x_ablation.sh [path/to/ndtmoe] [device]   (ROWS=60000 EPOCHS=15 EXPERTS=8 TOP_K=2 HIDDEN=64)
set -euo pipefail
ndtmoe=${1:-build/app/ndtmoe}
device=${2:-auto}
rows=${ROWS:-60000}
epochs=${EPOCHS:-15}
experts=${EXPERTS:-8}
top_k=${TOP_K:-2}
hidden=${HIDDEN:-64}
cd "$(dirname "$0")/.."
mkdir -p bench/results runs/moe-x
out=bench/results/moe-x-ablation.jsonl
store=runs/moe-x/traces.sqlite
# Runs finished so far (one JSON line each); a rerun continues after them, FRESH=1 starts over.
partial=$out.partial
[[ ${FRESH:-0} == 1 ]] && rm -rf "$partial" "$store" runs/moe-x/*

# one_run NAME [ndtmoe train flags...]: one JSON line to $partial
one_run() {
  local name=$1
  shift
  if grep -qF "\"name\": \"$name\", \"epochs\": $epochs," "$partial" 2>/dev/null; then return; fi
  local dir=runs/moe-x/$name start seconds id
  rm -rf "$dir"
  start=$(date +%s.%N)
  "$ndtmoe" train --data builtin:fashion-mnist --rows "$rows" --test-data builtin:fashion-mnist-test --teacher none --alpha 1 \
    --no-baselines --epochs "$epochs" --batch-size 128 --lr 1e-3 --layers 2 --d-model 64 --dropout 0 --seed 0 --device "$device" \
    --out "$dir" --json "$@" > "$dir.train.json"
  seconds=$(python3 -c "import time; print(round(time.time() - $start, 1))")
  id=$("$ndtmoe" trace --store "$store" --run "$dir" --data builtin:fashion-mnist-test --name "$name" --no-teacher --no-embeddings --neurons on \
    --device "$device" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
  "$ndtmoe" compare --store "$store" --runs "$id" --json > "$dir.compare.json"
  python3 - "$name" "$seconds" "$dir" "$epochs" "$@" >> "$partial" <<'PY'
import json, sys
name, seconds, run, epochs = sys.argv[1:5]
flags = sys.argv[5:]
metrics = json.load(open(run + ".train.json"))["metrics"]
student = json.load(open(run + "/run.json"))["config"]["student"]
neurons = json.load(open(run + ".compare.json"))[0]["neurons"]
print(json.dumps({
    "name": name, "epochs": int(epochs), "flags": " ".join(flags), "family": student["family"], "options": student["family_options"],
    "experts": student["experts"], "top_k": student["top_k"], "expert_hidden": student["expert_hidden"], "seconds": float(seconds),
    "accuracy": metrics["student"]["accuracy"], "l0": neurons["l0"], "dead_share": neurons["dead_share"],
    "class_selectivity": neurons["class_selectivity"], "neurons": neurons["neurons"],
}))
PY
  echo "moe-x-ablation: $name done in ${seconds} s" >&2
}

dense=(--family moe-x --experts 1 --top-k 1 --expert-hidden $((top_k * hidden)))
sparse=(--experts "$experts" --top-k "$top_k" --expert-hidden "$hidden")
one_run dense-gelu "${dense[@]}" --activation gelu
one_run dense-relu "${dense[@]}"
one_run switch --family linear "${sparse[@]}"
one_run relu-experts-gate --family moe-x "${sparse[@]}" --sparsity-router false --gate-term true
one_run sparsity-router-gelu --family moe-x "${sparse[@]}" --activation gelu
one_run moe-x --family moe-x "${sparse[@]}"
# The up-cycling sources: dense MLPs as wide as all experts (N x H units), trained with the same budget.
wide=(--family moe-x --experts 1 --top-k 1 --expert-hidden $((experts * hidden)))
one_run dense-relu-wide "${wide[@]}"
one_run dense-gelu-wide "${wide[@]}" --activation gelu
one_run moe-x-upcycled --family moe-x "${sparse[@]}" --upcycle-from runs/moe-x/dense-relu-wide
one_run switch-upcycled --family linear "${sparse[@]}" --upcycle-from runs/moe-x/dense-gelu-wide
cp "$partial" "$out"
python3 bench/moe_x_report.py "$out"
