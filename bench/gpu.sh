#!/usr/bin/env bash
# One run on a GPU server with a torch wheel but no Qt and no package registry: builds core, the CLI and
# the core tests against python3's libtorch, runs the tests, checks CPU <-> CUDA parity and measures
# throughput on both devices. Without a CUDA device the same steps run with the CPU in the GPU's place,
# which checks the script itself on any machine.
#   bench/gpu.sh [--deps DIR] [--out DIR] [--python PY] [--build DIR] [--jobs N]
# --deps   a folder made by packaging/offline-deps.sh (libraries, headers, test data) for a server without
#          Debian's packages
# --out    where gpu.json, bench-*.jsonl and the logs go (default bench/results/gpu)
# --build  the build folder (default build-gpu); an existing one is reused
# Parity: one CPU-trained checkpoint traced on both devices (every stored probability, routing weight and
# tree decision within 1e-4), and one training run per device with the same seed (test accuracy within
# 0.5 points).
set -euo pipefail
cd "$(dirname "$0")/.."
deps="" out=bench/results/gpu python=python3 build=build-gpu jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --deps) deps=$(realpath "$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "gpu.sh: unknown argument $1 (see the comment at the top of bench/gpu.sh)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { echo "== $(date -u +%H:%M:%S) $*" >&2; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

# One python start (torch's import takes seconds): folder, version, device, the GPU's name (may hold spaces).
read -r torch_root torch_version device gpu_name < <("$python" -W ignore -c 'import os, torch
cuda = torch.cuda.is_available()
print(os.path.dirname(torch.__file__), torch.__version__, "cuda" if cuda else "cpu", torch.cuda.get_device_name(0) if cuda else "")')
step "torch $torch_version at $torch_root; parity and bench device: $device ${gpu_name:+($gpu_name)}"

prefix_path=$torch_root
shared_data=()
if [ -n "$deps" ]; then
  prefix_path="$torch_root;$deps/root/usr"
  shared_data=(-DNDTMOE_SHARED_DATA_DIR="$deps/shared-data")
  export NDTMOE_SHARE_DIR=$deps/share
  export LD_LIBRARY_PATH=$deps/root/usr/lib/x86_64-linux-gnu:$deps/root/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

start=$(date +%s)
step "configure and build ($jobs jobs)"
# The torch package folder goes first in CMAKE_PREFIX_PATH so that its lib/ wins over a system libtorch.
cmake -S . -B "$build" -G Ninja -DNDTMOE_BUILD_GUI=OFF -DCMAKE_PREFIX_PATH="$prefix_path" "${shared_data[@]}" >"$out/configure.log" 2>&1 \
  || { tail -30 "$out/configure.log" >&2; exit 1; }
cmake --build "$build" -j "$jobs" >"$out/build.log" 2>&1 || { grep -B2 -A12 -m3 'error' "$out/build.log" >&2; exit 1; }
build_s=$(seconds_since "$start")

ndtmoe=$build/app/ndtmoe

start=$(date +%s)
step "parity: train the same seed on cpu and $device"
train=(train --data builtin:rule-tree --rows 12000 --teacher transformer --teacher-epochs 3 --epochs 10 --seed 7 --no-baselines --json)
"$ndtmoe" "${train[@]}" --device cpu --out "$work/run-cpu" >"$out/train-cpu.json" 2>"$out/train-cpu.log"
"$ndtmoe" "${train[@]}" --device "$device" --out "$work/run-on-$device" >"$out/train-on-$device.json" 2>"$out/train-on-$device.log"
step "parity: trace the cpu checkpoint on cpu and $device"
# Two stores even where the device is the CPU, so each holds one traced run.
"$ndtmoe" trace --run "$work/run-cpu" --store "$work/reference.sqlite" --device cpu --json --no-embeddings >"$out/trace-cpu.json" 2>"$out/trace-cpu.log"
"$ndtmoe" trace --run "$work/run-cpu" --store "$work/candidate.sqlite" --device "$device" --json --no-embeddings >"$out/trace-on-$device.json" 2>"$out/trace-on-$device.log"
"$python" bench/gpu_report.py parity "$work/reference.sqlite" "$work/candidate.sqlite" >"$out/trace-parity.json"
parity_s=$(seconds_since "$start")

step "throughput (ndtmoe bench) on cpu and $device"
"$ndtmoe" bench --device cpu --repeats 3 --json >"$out/bench-cpu.jsonl"
# The GPU also at a batch the CPU would take minutes over.
[ "$device" = cpu ] || "$ndtmoe" bench --device "$device" --batches 256 4096 65536 --json >"$out/bench-$device.jsonl"

# Last, as the slowest step: the checks above matter more where time is short.
start=$(date +%s)
step "core tests"
tests_passed=true
ctest --test-dir "$build" -j "$jobs" --output-on-failure >"$out/tests.log" 2>&1 || tests_passed=false
tail -3 "$out/tests.log" >&2
tests_s=$(seconds_since "$start")

"$python" bench/gpu_report.py summary --out "$out" --device "$device" --gpu-name "$gpu_name" \
  --torch "$torch_version" --build-s "$build_s" --tests-s "$tests_s" --parity-s "$parity_s" --tests-passed "$tests_passed"
