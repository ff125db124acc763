"""Turn benchmark results into a Markdown report with matplotlib plots."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from benchmarks.accuracy import Run
from benchmarks.load import LoadResult
from benchmarks.patient_view import PatientView


def mean_sd(values: Sequence[float]) -> str:
    """'0.912 ± 0.004' (sd over seeds; 0 for a single value)."""
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def group_runs(runs: Sequence[Run]) -> Dict[Tuple[str, str], List[Run]]:
    """Runs by (system, held-out set)."""
    grouped: Dict[Tuple[str, str], List[Run]] = defaultdict(list)
    for run in runs:
        grouped[(run.system, run.held_out)].append(run)
    return grouped


def accuracy_table(runs: Sequence[Run]) -> List[str]:
    """Markdown rows: accuracy, macro-F1, red-flag recall per system and held-out set."""
    lines = ["| system | held-out set | accuracy | macro-F1 | red-flag recall | seeds | NLU training (s) |",
             "|---|---|---|---|---|---|---|"]
    for (system, held_out), group in group_runs(runs).items():
        lines.append(
            f"| {system} | {held_out} | {mean_sd([r.report.accuracy for r in group])} | "
            f"{mean_sd([r.report.macro_f1 for r in group])} | "
            f"{min(r.red_flag_recall for r in group):.3f} (min) | {len(group)} | "
            f"{statistics.mean(r.train_seconds for r in group):.0f} |")
    return lines


def per_intent_f1(runs: Sequence[Run], held_out: str) -> Dict[str, Dict[str, float]]:
    """Mean per-intent F1 by system on one held-out set."""
    table: Dict[str, Dict[str, float]] = {}
    for (system, set_name), group in group_runs(runs).items():
        if set_name != held_out:
            continue
        intents = group[0].report.f1_by_intent
        table[system] = {i: statistics.mean(r.report.f1_by_intent[i] for r in group) for i in intents}
    return table


def f1_table(table: Dict[str, Dict[str, float]]) -> List[str]:
    """Markdown rows of per-intent F1, one column per system."""
    systems = list(table)
    intents = sorted(next(iter(table.values()))) if table else []
    lines = ["| intent | " + " | ".join(systems) + " |", "|---" * (len(systems) + 1) + "|"]
    lines += [f"| {i} | " + " | ".join(f"{table[s][i]:.2f}" for s in systems) + " |" for i in intents]
    return lines


def confusions(runs: Sequence[Run], system: str, held_out: str, top: int = 10) -> List[str]:
    """The most frequent confusions of a system, summed over seeds."""
    counts: Dict[Tuple[str, str], int] = defaultdict(int)
    for run in group_runs(runs).get((system, held_out), []):
        for expected, predicted, n in run.report.confusions:
            counts[(expected, predicted)] += n
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:top]
    return [f"- {e} → {p}: {n}" for (e, p), n in ranked]


def patient_table(views: Dict[str, PatientView]) -> List[str]:
    """Markdown rows: what patients see per held-out set."""
    lines = ["| held-out set | messages | answered correctly | sent to clarification | answered wrongly "
             "| out-of-scope given a medical answer | red-flag recall |", "|---|---|---|---|---|---|---|"]
    for name, view in views.items():
        lines.append(f"| {name} | {view.total} | {view.share('correct'):.1%} | "
                     f"{view.share('clarification'):.1%} | {view.share('wrong'):.1%} | "
                     f"{view.out_of_scope_with_medical_answer} | {view.red_flag_recall:.3f} |")
    return lines


def load_table(results: Sequence[LoadResult]) -> List[str]:
    """Markdown rows of the load runs, with our/stock ratios where both were measured."""
    stock = {(r.shape, r.patients): r for r in results if r.target == "stock rasa init"}
    lines = ["| target | load shape | patients | requests | lost replies | p50 ms | p95 ms | p99 ms "
             "| replies/s | p95 ours/stock | throughput ours/stock |", "|---" * 11 + "|"]
    for r in results:
        base = stock.get((r.shape, r.patients)) if r.target == "project" else None
        ratio_p95 = f"{r.p95 / base.p95:.2f}" if base and base.p95 else ""
        ratio_tp = f"{r.throughput / base.throughput:.2f}" if base and base.throughput else ""
        lines.append(f"| {r.target} | {r.shape} | {r.patients} | {r.requests} | {r.errors} | "
                     f"{r.p50:.0f} | {r.p95:.0f} | {r.p99:.0f} | {r.throughput:.1f} | "
                     f"{ratio_p95} | {ratio_tp} |")
    return lines


def cluster_table(by_size: Dict[int, List[Dict]],
                  ratios: Sequence[Tuple[str, int, float]]) -> List[str]:
    """Markdown rows of the cluster runs (benchmarks/cluster_load.py summaries), both sizes of
    one load next to each other, with the throughput ratio of the larger cluster."""
    sizes = sorted(by_size)
    lines = ["| load shape | patients | replicas | requests | lost | duplicated | p50 ms | p95 ms "
             "| p99 ms | replies/s | throughput vs 1 replica |", "|---" * 11 + "|"]
    for index, (shape, patients, ratio) in enumerate(ratios):
        for size in sizes:
            run = by_size[size][index]
            shown = f"x{ratio:.2f}" if size == sizes[-1] and len(sizes) > 1 else ""
            lines.append(f"| {shape} | {patients} | {size} | {run['requests']} | {run['lost']} | "
                         f"{run['duplicated']} | {run['p50']} | {run['p95']} | {run['p99']} | "
                         f"{run['replies_per_s']:.1f} | {shown} |")
    return lines


def plot_latency(results: Sequence[LoadResult], path: Path) -> None:
    """p50 and p95 latency against concurrent patients, per target and load shape."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=False)
    for axis, shape in zip(axes, ("reading", "closed")):
        for target in sorted({r.target for r in results if r.shape == shape}):
            points = sorted((r.patients, r.p50, r.p95) for r in results
                            if r.shape == shape and r.target == target)
            if not points:
                continue
            xs = [p[0] for p in points]
            axis.plot(xs, [p[1] for p in points], marker="o", label=f"{target} p50")
            axis.plot(xs, [p[2] for p in points], marker="s", linestyle="--", label=f"{target} p95")
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("concurrent patients")
        axis.set_ylabel("round trip (ms)")
        axis.set_title(f"{shape} patients")
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_f1(table: Dict[str, Dict[str, float]], path: Path) -> None:
    """Per-intent F1 bars for each system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = list(table)
    intents = sorted(next(iter(table.values())))
    width = 0.8 / max(len(systems), 1)
    figure, axis = plt.subplots(figsize=(12, 4.5))
    for index, system in enumerate(systems):
        axis.bar([i + index * width for i in range(len(intents))],
                 [table[system][i] for i in intents], width, label=system)
    axis.set_xticks([i + 0.4 - width / 2 for i in range(len(intents))])
    axis.set_xticklabels(intents, rotation=60, ha="right", fontsize=8)
    axis.set_ylabel("F1 (mean over seeds)")
    axis.set_ylim(0, 1.05)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
