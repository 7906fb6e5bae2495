#!/usr/bin/env bash
# Fashion-MNIST quality run (official test split): vision-transformer teacher (convolutional stem, shifts of
# one pixel and mirrors in training, predictions averaged with the mirror), NDT-MoE student.
# Writes bench/results/quality-fashion-mnist.json and keeps the run in runs/fashion-mnist.
#   bench/fashion_mnist.sh [path/to/ndtmoe] [device]
set -euo pipefail
ndtmoe=${1:-build/app/ndtmoe}
device=${2:-auto}
cd "$(dirname "$0")/.."
mkdir -p bench/results
"$ndtmoe" train --data builtin:fashion-mnist --test-data builtin:fashion-mnist-test --device "$device" \
  --teacher-epochs 30 --teacher-lr 1e-3 --patch 4 --teacher-d 64 --teacher-blocks 3 --teacher-heads 4 \
  --conv-stem 32 --augment-shift 1 --augment-flip --test-time-mirror \
  --epochs 20 --batch-size 128 --d-model 128 --expert-hidden 256 --experts 8 --depth 3 --layers 2 \
  --no-baselines --seed 0 --json --out runs/fashion-mnist ${FASHION_FLAGS:-} > bench/results/quality-fashion-mnist.json.tmp
mv bench/results/quality-fashion-mnist.json.tmp bench/results/quality-fashion-mnist.json
cat bench/results/quality-fashion-mnist.json
