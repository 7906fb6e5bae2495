#!/usr/bin/python3
"""Table and figure of the sparsity-accuracy frontier from bench/mxd_frontier.sh's results.

Prints the Markdown table of docs/quality.md and writes docs/figures/mxd-frontier.svg: normalised MSE and
the spliced model's accuracy against K for each stand-in, with the original and the zero-ablated model
as reference lines. Standard library only (the machine has no plotting package).

    python3 bench/mxd_frontier_report.py bench/results/mxd-frontier.jsonl [--tree-gate TREE.jsonl] [--figure SVG]
"""
import argparse
import json
import math
import os

COLOURS = {"mxd": "#d62728", "mxd-tree": "#9467bd", "transcoder": "#1f77b4", "skip-transcoder": "#2ca02c"}
NAMES = {"mxd": "MxD", "mxd-tree": "MxD, tree gate", "transcoder": "Transcoder", "skip-transcoder": "Skip transcoder"}


def load(path, tree_gate=None):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    rows.sort(key=lambda r: r["replacements"][0]["spec"]["k"])
    if tree_gate:
        # The tree-gated MxD of the same K joins each row as a stand-in of its own kind.
        by_k = {r["replacements"][0]["spec"]["k"]: r for r in (json.loads(line) for line in open(tree_gate) if line.strip())}
        for r in rows:
            tree = dict(by_k[r["replacements"][0]["spec"]["k"]]["replacements"][0])
            tree["spec"] = dict(tree["spec"], kind="mxd-tree")
            r["replacements"].insert(1, tree)
    return rows


def table(rows):
    metric = rows[0]["metric"]
    kinds = [m["spec"]["kind"] for m in rows[0]["replacements"]]
    head = "| K | " + " | ".join(f"{NAMES[k]} NMSE | {NAMES[k]} {metric}" for k in kinds) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(kinds))]
    for r in rows:
        cells = [str(r["replacements"][0]["spec"]["k"])]
        best = min(m["normalized_mse"] for m in r["replacements"])
        for m in r["replacements"]:
            nmse = f"{m['normalized_mse']:.4f}"
            cells += [f"**{nmse}**" if m["normalized_mse"] == best else nmse, f"{100 * m[metric]:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    first = rows[0]
    lines.append("")
    lines.append(f"Original model: {100 * first['original'][metric]:.2f}; layer zero-ablated: "
                 f"{100 * first['zero_ablated'][metric]:.2f} ({metric}, {first['test_rows']} test tokens, "
                 f"{first['fit_rows']} fitted).")
    return "\n".join(lines)


def nice_step(span, most_ticks=7):
    """The smallest of 1, 2, 5 times a power of ten that cuts `span` into at most `most_ticks` steps."""
    power = 10 ** math.floor(math.log10(span / most_ticks))
    return next(m * power for m in (1, 2, 5, 10) if span / (m * power) <= most_ticks)


def panel(x0, y0, w, h, ks, series, refs, ylabel, log_y):
    """One line chart as SVG elements: x is log2 K, y linear or log10."""
    values = [v for _, vs in series for v in vs] + [v for _, v, _ in refs]
    lo, hi = min(values), max(values)
    if log_y:
        lo, hi = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        ty = lambda v: y0 + h - (math.log10(v) - lo) / (hi - lo) * h
        ticks = [10 ** e for e in range(lo, hi + 1)]
        label = lambda v: f"{v:g}"
    else:
        pad = (hi - lo) * 0.08 or 0.01
        lo, hi = lo - pad, hi + pad
        ty = lambda v: y0 + h - (v - lo) / (hi - lo) * h
        step = nice_step((hi - lo) * 100) / 100  # in percentage points: 1, 2 or 5 times a power of ten
        ticks = [t * step for t in range(math.ceil(lo / step), math.floor(hi / step) + 1)]
        decimals = max(0, -math.floor(math.log10(step * 100) + 1e-9))
        label = lambda v: f"{100 * v:.{decimals}f}"
    kx = [math.log2(k) for k in ks]
    tx = lambda k: x0 + (math.log2(k) - kx[0]) / (kx[-1] - kx[0]) * w
    out = [f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#444"/>']
    for t in ticks:
        y = ty(t)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{label(t)}</text>')
    for k in ks:
        out.append(f'<text x="{tx(k):.1f}" y="{y0 + h + 16}" text-anchor="middle">{k}</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" text-anchor="middle">K (experts or units per token)</text>')
    out.append(f'<text transform="translate({x0 - 44},{y0 + h / 2}) rotate(-90)" text-anchor="middle">{ylabel}</text>')
    for name, value, dash in refs:
        y = ty(value)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="#555" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{x0 + w - 4}" y="{y - 4:.1f}" text-anchor="end" fill="#555">{name}</text>')
    for kind, vs in series:
        points = " ".join(f"{tx(k):.1f},{ty(v):.1f}" for k, v in zip(ks, vs))
        out.append(f'<polyline points="{points}" fill="none" stroke="{COLOURS[kind]}" stroke-width="2"/>')
        out += [f'<circle cx="{tx(k):.1f}" cy="{ty(v):.1f}" r="3.5" fill="{COLOURS[kind]}"/>' for k, v in zip(ks, vs)]
    return out


def figure(rows, path):
    metric = rows[0]["metric"]
    ks = [r["replacements"][0]["spec"]["k"] for r in rows]
    kinds = [m["spec"]["kind"] for m in rows[0]["replacements"]]
    nmse = [(kind, [r["replacements"][i]["normalized_mse"] for r in rows]) for i, kind in enumerate(kinds)]
    acc = [(kind, [r["replacements"][i][metric] for r in rows]) for i, kind in enumerate(kinds)]
    refs = [("original", rows[0]["original"][metric], "6,3"), ("zero-ablated", rows[0]["zero_ablated"][metric], "2,3")]
    width, height = 820, 330
    body = panel(70, 40, 300, 230, ks, nmse, [], "normalised MSE (log scale)", True)
    body += panel(500, 40, 300, 230, ks, acc, refs, f"spliced {metric} (%)", False)
    legend_x = 70
    for kind in kinds:
        body.append(f'<line x1="{legend_x}" y1="16" x2="{legend_x + 22}" y2="16" stroke="{COLOURS[kind]}" stroke-width="2"/>')
        body.append(f'<text x="{legend_x + 28}" y="20">{NAMES[kind]}</text>')
        legend_x += 165
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="DejaVu Sans, sans-serif" font-size="12">', '<rect width="100%" height="100%" fill="white"/>']
    svg += body + ["</svg>"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--tree-gate", help="decompose results of MxD with --gate tree, one per K")
    parser.add_argument("--figure", default="docs/figures/mxd-frontier.svg")
    args = parser.parse_args()
    rows = load(args.results, args.tree_gate)
    figure(rows, args.figure)
    print(table(rows))


if __name__ == "__main__":
    main()
