"""Judges and records one bench/gpu.sh run: CPU <-> device parity of a traced checkpoint and of a training
run with the same seed, the core tests, and the throughput of both devices. Writes OUT/gpu.json, prints a
summary and exits non-zero when a check fails."""
import argparse
import json
import sqlite3
import sys
from array import array
from pathlib import Path

PREDICTION_TOLERANCE = 1e-4
ACCURACY_TOLERANCE_POINTS = 0.5


def floats(blob):
    values = array("f")
    if blob:
        values.frombytes(blob)
    return values


def largest_difference(pairs):
    return max((abs(a - b) for a, b in pairs), default=0.0)


def trace_parity(reference_store, other_store):
    """Largest difference of every stored number of the same checkpoint traced on two devices."""
    a, b = sqlite3.connect(reference_store), sqlite3.connect(other_store)
    sample_query = "SELECT prediction, confidence, teacher_prediction, teacher_confidence FROM samples ORDER BY sample"
    samples_a, samples_b = a.execute(sample_query).fetchall(), b.execute(sample_query).fetchall()
    routing_query = "SELECT experts, weights, decisions, split_values FROM routing ORDER BY sample, token, layer"
    routing_a, routing_b = a.execute(routing_query).fetchall(), b.execute(routing_query).fetchall()
    if len(samples_a) != len(samples_b) or len(routing_a) != len(routing_b):
        raise SystemExit(f"gpu_report: the stores differ in size: {len(samples_a)}/{len(samples_b)} samples, "
                         f"{len(routing_a)}/{len(routing_b)} routing rows")
    return {
        "samples": len(samples_a),
        "routing_rows": len(routing_a),
        "prediction_mismatches": sum(x[0] != y[0] for x, y in zip(samples_a, samples_b)),
        "teacher_prediction_mismatches": sum(x[2] != y[2] for x, y in zip(samples_a, samples_b)),
        "expert_choice_mismatches": sum(x[0] != y[0] for x, y in zip(routing_a, routing_b)),
        "max_confidence_difference": largest_difference((x[1], y[1]) for x, y in zip(samples_a, samples_b)),
        "max_teacher_confidence_difference": largest_difference(
            (x[3], y[3]) for x, y in zip(samples_a, samples_b) if x[3] is not None and y[3] is not None),
        "max_routing_weight_difference": max((largest_difference(zip(floats(x[1]), floats(y[1])))
                                              for x, y in zip(routing_a, routing_b)), default=0.0),
        "max_decision_difference": max((largest_difference(zip(floats(x[2]), floats(y[2])))
                                        for x, y in zip(routing_a, routing_b)), default=0.0),
        "max_split_value_difference": max((largest_difference(zip(floats(x[3]), floats(y[3])))
                                           for x, y in zip(routing_a, routing_b)), default=0.0),
    }


def test_accuracy(train_json):
    metrics = json.loads(Path(train_json).read_text())["metrics"]
    return {model: values["accuracy"] for model, values in metrics.items()
            if isinstance(values, dict) and "accuracy" in values}


def read_jsonl(path):
    path = Path(path)
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def parity_command(args):
    print(json.dumps(trace_parity(args.reference, args.candidate), indent=2))


def summary_command(args):
    out, device = Path(args.out), args.device
    parity = json.loads((out / "trace-parity.json").read_text())
    accuracy_cpu, accuracy_device = test_accuracy(out / "train-cpu.json"), test_accuracy(out / f"train-on-{device}.json")
    accuracy_gap = {model: abs(accuracy_cpu[model] - accuracy_device[model]) * 100 for model in accuracy_cpu}
    bench_cpu, bench_device = read_jsonl(out / "bench-cpu.jsonl"), read_jsonl(out / f"bench-{device}.jsonl")
    cpu_rate = {(r["name"], r["batch"]): r["samples_per_s"] for r in bench_cpu}
    speedups = [{"name": r["name"], "batch": r["batch"], "samples_per_s": r["samples_per_s"],
                 "cpu_samples_per_s": cpu_rate.get((r["name"], r["batch"])),
                 "ratio": r["samples_per_s"] / cpu_rate[(r["name"], r["batch"])] if cpu_rate.get((r["name"], r["batch"])) else None}
                for r in bench_device] if device != "cpu" else []

    checks = {
        "core_tests": args.tests_passed == "true",
        "trace_within_1e-4": max(parity["max_confidence_difference"], parity["max_teacher_confidence_difference"],
                                 parity["max_routing_weight_difference"], parity["max_decision_difference"]) <= PREDICTION_TOLERANCE,
        "accuracy_within_0.5_points": all(gap <= ACCURACY_TOLERANCE_POINTS for gap in accuracy_gap.values()),
    }
    traces = {"cpu": json.loads((out / "trace-cpu.json").read_text()),
              f"on {device}": json.loads((out / f"trace-on-{device}.json").read_text())}
    report = {
        "torch": args.torch, "device": device, "gpu": args.gpu_name,
        "seconds": {"build": args.build_s, "tests": args.tests_s, "parity": args.parity_s},
        "checks": checks, "trace_parity": parity,
        "test_accuracy": {"cpu": accuracy_cpu, f"on {device}": accuracy_device, "gap_points": accuracy_gap},
        "trace": traces,
        "throughput": speedups or bench_cpu,
    }
    (out / "gpu.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({key: report[key] for key in ("torch", "device", "gpu", "checks", "trace_parity", "test_accuracy", "seconds")}, indent=2))
    for name, trace in traces.items():
        print(f"trace {name}: {trace['samples']} samples in {trace['seconds']:.2f} s ({trace['records_per_s']:.0f} records/s)")
    for s in speedups:
        ratio = f"{s['ratio']:.1f}x the cpu" if s["ratio"] else "no cpu run at this batch"
        print(f"{s['name']:<34} batch {s['batch']:>6}: {s['samples_per_s']:>12.0f} samples/s on {device}, {ratio}")
    sys.exit(0 if all(checks.values()) else 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    parity = commands.add_parser("parity", help="compare two stores of the same checkpoint traced on two devices")
    parity.add_argument("reference")
    parity.add_argument("candidate")
    parity.set_defaults(run=parity_command)
    summary = commands.add_parser("summary", help="judge the whole run and write gpu.json")
    for name in ("--out", "--device", "--gpu-name", "--torch", "--tests-passed"):
        summary.add_argument(name, required=True)
    for name in ("--build-s", "--tests-s", "--parity-s"):
        summary.add_argument(name, type=int, required=True)
    summary.set_defaults(run=summary_command)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
