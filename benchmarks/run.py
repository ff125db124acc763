"""Run every benchmark and write a Markdown report with plots (`make bench`).

Run: python -m benchmarks.run [--out reports/bench] [--seeds 3] [--seconds 20] [--quick]
    [--parts accuracy,serving,cluster,real]
Not part of CI (it trains seven models and runs load tests for about an hour on 2 cores);
CI keeps the accuracy gate in tests/nlu/test_nlu_gate.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import pickle
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence

from benchmarks import report
from benchmarks.accuracy import run_accuracy
from benchmarks.real_questions import real_table, run_real
from benchmarks.cluster_load import compare_clusters, throughput_ratios
from benchmarks.load import LOAD_QUESTIONS, LoadResult, run_load, run_socketio
from benchmarks.patient_view import PatientView, measure
from benchmarks.resources import retrain_seconds, rss_mb, stock_assistant
from clinic_assistant.content import load_content
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.evaluation.evaluate_model import latest_model
from clinic_assistant.stack.assistant import UNLIMITED_CHAT, start_assistant
from clinic_assistant.stack.processes import free_port, start, wait_until_up

CLUSTER_TITLE = "One replica against two (make run-cluster's stack, through nginx)"
#: What `--parts` may name.
PARTS = ("accuracy", "serving", "cluster", "real")
HELD_OUT = {"heldout": PROJECT_ROOT / "tests/nlu/heldout.yml",
            "heldout_hard": PROJECT_ROOT / "tests/nlu/heldout_hard.yml"}


def load_runs(target: str, url: str, concurrency: Sequence[int], seconds: float) -> List[LoadResult]:
    """Both load shapes at each concurrency level."""
    results = []
    for shape, patients, _ in load_shapes(concurrency, seconds):
        print(f"bench: load {target}, {shape}, {patients} patients", flush=True)
        results.append(asyncio.run(run_load(target, url, LOAD_QUESTIONS, patients, shape, seconds)))
    return results


def load_shapes(concurrency: Sequence[int], seconds: float) -> List[tuple]:
    """(shape, patients, seconds) of every load run, as load_runs runs them."""
    return [(shape, patients, seconds) for shape in ("reading", "closed")
            for patients in concurrency]


def first_answer_seconds(say, started: float) -> float:
    """Seconds from process start until the first answered message."""
    say("bench-cold-start", "what is a herniated disc")
    return time.monotonic() - started


def bench_project(work: Path, concurrency: Sequence[int], seconds: float,
                  held_out: Dict[str, Path]) -> Dict:
    """Patient view, load, socket.io, memory and cold start of the project assistant."""
    content = load_content(PROJECT_ROOT / "content")
    started = time.monotonic()
    (work / "project").mkdir(parents=True, exist_ok=True)
    assistant = start_assistant(PROJECT_ROOT, work / "project", extra_env=UNLIMITED_CHAT)
    try:
        cold = first_answer_seconds(assistant.say, started)
        views: Dict[str, PatientView] = {}
        for name, path in held_out.items():
            print(f"bench: patient view on {name}", flush=True)
            views[name] = measure(assistant.say, content, read_examples([path]))
        loads = load_runs("project", assistant.url, concurrency, seconds)
        print("bench: socket.io clients", flush=True)
        loads.append(asyncio.run(run_socketio(assistant.url, assistant.demo_url, LOAD_QUESTIONS,
                                              clients=20, messages_each=5)))
        memory = {"action server": rss_mb(assistant.processes[0].popen.pid),
                  "Rasa server": rss_mb(assistant.processes[1].popen.pid)}
    finally:
        assistant.stop()
    return {"cold": cold, "views": views, "loads": loads, "memory": memory}


def bench_stock(work: Path, concurrency: Sequence[int], seconds: float) -> Dict:
    """Load, memory and cold start of a stock `rasa init` assistant."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    print("bench: creating and training a stock rasa init assistant", flush=True)
    folder = stock_assistant(work, env, work / "stock-init.log")
    port = free_port()
    started = time.monotonic()
    rasa = start([sys.executable, "-m", "rasa", "run", "--port", str(port), "--interface",
                  "127.0.0.1"], folder, env, work / "stock-rasa.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/webhooks/rest/", rasa)
        import requests

        cold = first_answer_seconds(
            lambda s, t: requests.post(f"{url}/webhooks/rest/webhook",
                                       json={"sender": s, "message": t}, timeout=60).json(),
            started)
        loads = load_runs("stock rasa init", url, concurrency, seconds)
        memory = rss_mb(rasa.popen.pid)
        model_mb = sum(p.stat().st_size for p in (folder / "models").glob("*.tar.gz")) / 1e6
    finally:
        rasa.stop()
    return {"cold": cold, "loads": loads, "memory": memory, "model_mb": model_mb}


def bench_cluster(concurrency: Sequence[int], seconds: float) -> Dict[int, List[Dict]]:
    """The serving part's load shapes against a cluster of 1 and of 2 replicas (nginx,
    PostgreSQL, Redis; benchmarks/cluster_load.py): each run's summary by cluster size."""
    print("bench: clusters of 1 and 2 replicas (make run-cluster's stack)", flush=True)
    return compare_clusters((1, 2), load_shapes(concurrency, seconds))


def install_cluster_services() -> None:
    """Redis, PostgreSQL and nginx, which only the cluster part needs (installed if missing)."""
    if subprocess.run([str(PROJECT_ROOT / "scripts/install_services.sh")]).returncode != 0:
        raise SystemExit("bench: the cluster part needs Redis, PostgreSQL and nginx (see above); "
                         "the other parts run without them (--parts accuracy,serving,real)")


def cluster_lines(by_size: Dict[int, List[Dict]]) -> List[str]:
    """The cluster part's table with its throughput ratios."""
    return report.cluster_table(by_size, throughput_ratios(by_size))


def write_report(out: Path, runs, project: Dict, stock: Dict, retrain: Dict[str, float],
                 args: argparse.Namespace, cluster: Sequence[str] = ()) -> Path:
    """Assemble report.md and the plots in `out`."""
    loads = project["loads"] + stock["loads"]
    f1 = report.per_intent_f1(runs, "heldout")
    report.plot_latency([r for r in loads if "socket" not in r.target], out / "latency.png")
    if f1:
        report.plot_f1(f1, out / "per_intent_f1.png")
    project_train = [r.train_seconds for r in runs if r.system == "project"]
    model_mb = latest_model(PROJECT_ROOT / "models").stat().st_size / 1e6
    lines = [
        f"# Benchmark report, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; seeds "
        f"{args.seeds}, {args.seconds:.0f} s per load run. Command: `make bench`.",
        "",
        "## Understanding held-out patient questions (classifier)",
        "",
        *report.accuracy_table(runs),
        "",
        "![per-intent F1](per_intent_f1.png)",
        "",
        "### Per-intent F1 on the held-out set (mean over seeds)",
        "",
        *report.f1_table(f1),
        "",
        "### Top confusions of the project pipeline (held-out set, summed over seeds)",
        "",
        *report.confusions(runs, "project", "heldout"),
        "",
        "## What patients see (through the running server, REST channel)",
        "",
        *report.patient_table(project["views"]),
        "",
        "## Round trip under load (REST; Rasa server + action server; FAQ answers)",
        "",
        *report.load_table(loads),
        "",
        "![latency against concurrency](latency.png)",
        "",
        "## Resources",
        "",
        "| measure | project | stock rasa init |",
        "|---|---|---|",
        f"| RSS, Rasa server (MB) | {project['memory']['Rasa server']:.0f} | {stock['memory']:.0f} |",
        f"| RSS, action server (MB) | {project['memory']['action server']:.0f} | - |",
        f"| model size (MB) | {model_mb:.1f} | {stock['model_mb']:.1f} |",
        f"| cold start: process start to first answer (s) | {project['cold']:.1f} | {stock['cold']:.1f} |",
        f"| NLU training, this run (s, mean) | {sum(project_train) / max(len(project_train), 1):.0f} | - |",
        f"| `rasa train --dry-run` when nothing changed (s) | {retrain['dry-run check']:.1f} | - |",
        f"| `rasa train` when nothing changed (s) | {retrain['no-change retrain']:.1f} | - |",
        "",
        f"## {CLUSTER_TITLE}",
        "",
        *(cluster or ["Not measured yet: `make bench ARGS='--parts cluster'`."]),
        "",
    ]
    path = out / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmarks and print where the report is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "bench")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--quick", action="store_true", help="1 seed, short loads, 1 and 20 patients")
    parser.add_argument("--parts", default="accuracy,serving,cluster",
                        help="accuracy, serving, cluster (1 and 2 replicas behind nginx), real "
                             "(systems on real patients' questions), comma-separated; the "
                             "report uses the latest results of each")
    args = parser.parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    concurrency = (1, 20) if args.quick else (1, 20, 100)
    if args.quick:
        args.seeds, args.seconds = 1, 8.0
    out = args.out
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    held_out = {name: path for name, path in HELD_OUT.items() if path.exists()}
    parts = {part.strip() for part in args.parts.split(",") if part.strip()}
    unknown = parts - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}: choose from {', '.join(PARTS)}")
    if "cluster" in parts:
        install_cluster_services()  # before the long parts, so a missing package shows at once

    if "accuracy" in parts:
        save(work / "accuracy.pkl",
             run_accuracy(PROJECT_ROOT, work, list(range(1, args.seeds + 1)), held_out))
    if "real" in parts:
        table = "\n".join(["# Real patients' questions: top intent in the accept-set", "",
                            *real_table(run_real(PROJECT_ROOT, work))])
        (out / "real_questions.md").write_text(table + "\n", encoding="utf-8")
        print(table)
    if "serving" in parts:
        save(work / "serving.pkl", {
            "project": bench_project(work, concurrency, args.seconds, held_out),
            "stock": bench_stock(work, concurrency, args.seconds),
            "retrain": retrain_seconds(PROJECT_ROOT, dict(os.environ)),
        })
    if "cluster" in parts:
        save(work / "cluster.pkl", bench_cluster(concurrency, args.seconds))
        table = "\n".join([f"# {CLUSTER_TITLE}", "", *cluster_lines(load(work / "cluster.pkl"))])
        (out / "cluster.md").write_text(table + "\n", encoding="utf-8")
        print(table, flush=True)
    missing = [p for p in ("accuracy", "serving") if not (work / f"{p}.pkl").exists()]
    if missing:
        print(f"bench: results of {missing} missing: run them with --parts to complete the report")
        return
    serving = load(work / "serving.pkl")
    path = write_report(out, load(work / "accuracy.pkl"), serving["project"], serving["stock"],
                        serving["retrain"], args,
                        cluster_lines(load(work / "cluster.pkl"))
                        if (work / "cluster.pkl").exists() else ())
    print(path.read_text(encoding="utf-8"))
    print(f"bench: report written to {path}")


def save(path: Path, results: object) -> None:
    """Keep a part's results so the report can be rebuilt without re-running it."""
    path.write_bytes(pickle.dumps(results))


def load(path: Path) -> Any:
    """Results saved by `save` (a part must have run once)."""
    if not path.exists():
        raise SystemExit(f"bench: no results in {path}: run that part first (--parts)")
    return pickle.loads(path.read_bytes())


if __name__ == "__main__":
    main()
