"""The same load against a cluster of 1 and of 2 replicas, side by side in one run.

Run: python -m benchmarks.cluster_load [--replicas 1,2] [--runs reading:100:30,closed:20:20]
Each cluster starts as `make run-cluster` starts it (clinic_assistant/stack/cluster.py: nginx,
PostgreSQL, Redis, N Rasa and action servers), in a temporary folder, without the chat rate
limits (the load would meet them; they have their own test and benchmark). Every simulated
patient connects from its own loopback address through nginx. Prints one JSON line per run,
with the replies lost (failed, timed out or empty) and duplicated (patient messages stored more
often than they were sent), then the throughput ratio of the largest cluster to one replica.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence

import sqlalchemy as sa

from benchmarks.load import LoadResult, patient_addresses, run_load
from benchmarks.run import LOAD_QUESTIONS
from benchmarks.serving_load import parse_runs
from clinic_assistant.stack.assistant import UNLIMITED_CHAT
from clinic_assistant.stack.cluster import Cluster, start_cluster


def stored_user_messages(cluster: Cluster) -> int:
    """Patient messages of load conversations stored in PostgreSQL."""
    engine = sa.create_engine(cluster.postgres.url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text(
                "SELECT count(*) FROM events WHERE type_name = 'user' "
                "AND sender_id LIKE 'load-%'")).scalar() or 0)
    finally:
        engine.dispose()


def measure(replicas: int, runs: Sequence[tuple]) -> List[Dict]:
    """Start a cluster of `replicas`, warm it up, run each load; one summary per run."""
    base = {**os.environ, **UNLIMITED_CHAT, "LOG_LEVEL": "WARNING"}
    cluster = start_cluster(Path(tempfile.mkdtemp(prefix=f"cluster-load-{replicas}-")),
                            replicas, base_env=base, durable=False)
    results: List[Dict] = []
    try:
        for shape, patients, seconds in [("closed", 4, 5.0)]:  # warm-up, not reported
            asyncio.run(run_load("warm-up", cluster.public_url, LOAD_QUESTIONS, patients, shape,
                                 seconds, addresses=patient_addresses(patients)))
        for shape, patients, seconds in runs:
            before = stored_user_messages(cluster)
            result: LoadResult = asyncio.run(run_load(
                f"{replicas} replica(s)", cluster.public_url, LOAD_QUESTIONS, patients, shape,
                seconds, addresses=patient_addresses(patients)))
            answered = result.requests - result.errors
            stored = stored_user_messages(cluster) - before
            summary = {"replicas": replicas, "shape": shape, "patients": patients,
                       "requests": result.requests, "lost": result.errors,
                       "duplicated": max(0, stored - result.requests),
                       "stored": stored, "answered": answered, "p50": round(result.p50),
                       "p95": round(result.p95), "p99": round(result.p99),
                       "replies_per_s": round(result.throughput, 1)}
            print(json.dumps(summary), flush=True)
            results.append(summary)
    finally:
        cluster.stop()
    return results


def main(argv: Sequence[str] | None = None) -> None:
    """Measure each cluster size in turn and print the throughput ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="1,2")
    parser.add_argument("--runs", default="reading:100:30,closed:20:20")
    args = parser.parse_args(argv)
    runs = parse_runs(args.runs)
    sizes = [int(n) for n in args.replicas.split(",")]
    by_size = {size: measure(size, runs) for size in sizes}
    smallest, largest = min(sizes), max(sizes)
    for index, (shape, patients, _) in enumerate(runs):
        base = by_size[smallest][index]["replies_per_s"] or float("nan")
        ratio = by_size[largest][index]["replies_per_s"] / base
        print(json.dumps({"shape": shape, "patients": patients,
                          f"throughput_{largest}_vs_{smallest}": round(ratio, 2)}), flush=True)


if __name__ == "__main__":
    main()
