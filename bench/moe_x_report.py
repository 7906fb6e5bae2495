#!/usr/bin/env python3
"""Prints bench/moe_x_ablation.sh's results as the Markdown table of docs/quality.md."""
import json
import sys


def percent(value):
    return "–" if value is None else f"{100 * value:.1f}"


rows = [json.loads(line) for line in open(sys.argv[1] if len(sys.argv) > 1 else "bench/results/moe-x-ablation.jsonl")]
print("| model | family, options | test accuracy % | L0 (neurons/image) | dead neurons % | class-selective neurons % |")
print("|---|---|---:|---:|---:|---:|")
for r in rows:
    options = ", ".join(f"{k} {v}" for k, v in sorted(r["options"].items()))
    shape = f'{r["experts"]}×{r["expert_hidden"]}, top-{r["top_k"]}'
    print(f'| {r["name"]} | {r["family"]} ({options}; {shape}) | {percent(r["accuracy"])} | {r["l0"]:.1f} | '
          f'{percent(r["dead_share"])} | {percent(r["class_selectivity"])} |')
