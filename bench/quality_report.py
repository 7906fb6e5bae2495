#!/usr/bin/env python3
"""Prints the quality table of docs/quality.md from bench/results/<tag>-<name>.json (bench/quality.sh).

The reference columns are ../shared/data/README.md's classical models under the same protocol."""
import json
import sys
from pathlib import Path

# ../shared/data/README.md: hgb, rf, logreg, mlp (5-fold stratified CV, seed 0).
REFERENCE = {
    "iris": (94.67, 94.00, 96.00, 95.33), "wine": (97.17, 97.76, 98.32, 98.32),
    "breast_cancer": (97.01, 96.14, 97.89, 97.36), "digits": (97.33, 97.61, 96.88, 97.55),
    "diabetes": (73.95, 75.00, 77.48, 73.70), "glass": (76.67, 79.46, 65.01, 72.47),
}
NAMES = ("hgb", "rf", "logreg", "mlp")


def main():
    tag, files = sys.argv[1], sys.argv[2:]
    print("| data set | teacher | **student** | MLP (ours) | MoE, linear gate (ours) | best classical | MLP (reference) | student ≥ reference MLP | within 1 pt of best |")
    print("|---|---|---|---|---|---|---|---|---|")
    for file in files:
        name = file.rsplit(".", 1)[0]
        path = Path("bench/results") / f"{tag}-{name}.json"
        if not path.exists():
            continue
        j = json.loads(path.read_text())
        m, s = j["metrics"], j["stddev"]
        cell = lambda model: f"{100 * m[model]['accuracy']:.2f} ± {100 * s[model]['accuracy']:.2f}" if model in m else "–"
        ref = REFERENCE[name]
        best = max(ref)
        best_names = "/".join(n for n, v in zip(NAMES, ref) if v == best)
        student = 100 * m["student"]["accuracy"]
        # The reference accuracies are given to two decimals: compare at that precision.
        student = round(student, 2)
        print(f"| {file} | {cell('teacher')} | **{cell('student')}** | {cell('mlp')} | {cell('moe')} | {best:.2f} ({best_names}) | "
              f"{ref[3]:.2f} | {'yes' if student >= ref[3] else 'no'} | {'yes' if student >= best - 1.0 else 'no'} |")


if __name__ == "__main__":
    main()
