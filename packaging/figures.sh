#!/usr/bin/env bash
# Renders every figure of the demo run, as `ndtmoe export-figures` writes it for a paper, into
# docs/figures/demo/: PNG at a journal's double-column width (7.16 in, 8 pt text) and 150 dpi, so
# docs/figures.md shows them at their final proportions. The demo store is the workbench's (made by
# `ndtmoe-workbench --demo` on first use).
#   packaging/figures.sh [path/to/ndtmoe] [demo.sqlite]
set -euo pipefail
cd "$(dirname "$0")/.."
ndtmoe=${1:-build/app/ndtmoe}
store=${2:-$HOME/.local/share/ndtmoe/ndtmoe-workbench/demo/demo.sqlite}
out=docs/figures/demo
rm -rf "$out"
"$ndtmoe" export-figures --store "$store" --run 1 --out "$out" --format png --dpi 150 --preset double --sample 3
rm -f "$out"/*.csv  # the numbers are in the store; the docs show the pictures
ls "$out"
