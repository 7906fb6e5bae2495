#!/usr/bin/env python3
"""The IMoIE tables of docs/quality.md from bench/results/imoie-tables.jsonl (bench/imoie_tables.sh)."""
import json
import sys

# The paper's MNIST numbers (imoie-paper.md, Tables 1 and 2): accuracy, explicit accuracy; explicit
# accuracy with λ_route = 0 and with λ_EC = 0.
PAPER_TABLE_1 = {4: (95.63, 96.46), 8: (98.10, 98.32), 12: (98.44, 98.48), 16: (98.76, 98.82)}
PAPER_CONTINUOUS = 99.41
PAPER_TABLE_2 = {4: (96.46, 96.43, 95.68), 8: (98.32, 97.56, 96.86)}


def percent(value):
    return "—" if value is None else f"{100 * value:.2f}"


def main(path):
    runs = [json.loads(line) for line in open(path) if line.strip()]
    for dataset in dict.fromkeys(r["dataset"] for r in runs):
        by_name = {r["name"]: r for r in runs if r["dataset"] == dataset}
        epochs = next(iter(by_name.values()))["epochs"]
        print(f"\n### {dataset} ({epochs} epochs)\n")
        print("| code length | experts | accuracy | explicit accuracy | experts → mean output | paper (MNIST): accuracy / explicit |")
        print("|---|---|---|---|---|---|")
        for name, r in by_name.items():
            if "-no-" in name or name.endswith("-only"):
                continue
            length = r["options"]["code-length"]
            continuous = not r["options"]["binarize"]
            experts = "∞ (continuous code)" if continuous else f"{2 ** length:,}"
            paper = f"{PAPER_CONTINUOUS} / —" if continuous else "{} / {}".format(*PAPER_TABLE_1.get(length, ("—", "—")))
            print(f"| {length} | {experts} | {percent(r['accuracy'])} | {percent(r['explicit_accuracy'])} | "
                  f"{alone(r)} | {paper} |")
        print("\n| code length | baseline explicit | λ_R = 0 explicit | λ_EC = 0 explicit | experts → mean output: baseline / λ_R = 0 |"
              " paper (MNIST): baseline / λ_route = 0 / λ_EC = 0 |")
        print("|---|---|---|---|---|---|")
        for length in (4, 8):
            base, no_r, no_ec = (by_name.get(f"L{length}{suffix}") for suffix in ("", "-no-routing-loss", "-no-explicit-loss"))
            if not (base and no_r and no_ec):
                continue
            mean = f"{alone(base)} / {alone(no_r)}"
            print(f"| {length} | {percent(base['explicit_accuracy'])} | {percent(no_r['explicit_accuracy'])} | "
                  f"{percent(no_ec['explicit_accuracy'])} | {mean} | " + " / ".join(map(str, PAPER_TABLE_2[length])) + " |")
        only = by_name.get("L4-classification-only")
        if only:
            print(f"\nL_C + L_1 alone (the paper's Figure 2), L = 4: accuracy {percent(only['accuracy'])}, explicit "
                  f"{percent(only['explicit_accuracy'])}, experts → mean output {alone(only)}.")


def alone(run):
    """The router-alone check: accuracy with every expert replaced by its mean output, of the model's own
    accuracy on the same (traced) samples. A continuous code has no finite experts to average over."""
    if not run["options"]["binarize"]:
        return "—"
    return f"{percent(run['router_alone']['mean_experts'])} of {percent(run['router_alone']['model'])}"


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/imoie-tables.jsonl")
