"""The same load against a cluster of 1 and of 2 replicas, side by side in one run.

Run: python -m benchmarks.cluster_load [--replicas 1,2] [--runs reading:100:30,closed:20:20]
`make bench` runs it as its `cluster` part (benchmarks/run.py), with the serving part's shapes.
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
from typing import Dict, List, Sequence, Tuple

import sqlalchemy as sa

from benchmarks.load import LOAD_QUESTIONS, LoadResult, patient_addresses, run_load
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


def compare_clusters(sizes: Sequence[int], runs: Sequence[tuple]) -> Dict[int, List[Dict]]:
    """Each cluster size in turn (one cluster running at a time), the same runs against each."""
    return {size: measure(size, runs) for size in sizes}


def throughput_ratios(by_size: Dict[int, List[Dict]]) -> List[Tuple[str, int, float]]:
    """(shape, patients, replies/s of the largest cluster over the smallest) for each run."""
    smallest, largest = min(by_size), max(by_size)
    ratios = []
    for small, large in zip(by_size[smallest], by_size[largest]):
        base = small["replies_per_s"] or float("nan")
        ratios.append((small["shape"], small["patients"], large["replies_per_s"] / base))
    return ratios


def main(argv: Sequence[str] | None = None) -> None:
    """Measure each cluster size in turn and print the throughput ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="1,2")
    parser.add_argument("--runs", default="reading:100:30,closed:20:20")
    args = parser.parse_args(argv)
    by_size = compare_clusters([int(n) for n in args.replicas.split(",")], parse_runs(args.runs))
    largest, smallest = max(by_size), min(by_size)
    for shape, patients, ratio in throughput_ratios(by_size):
        print(json.dumps({"shape": shape, "patients": patients,
                          f"throughput_{largest}_vs_{smallest}": round(ratio, 2)}), flush=True)


if __name__ == "__main__":
    main()
