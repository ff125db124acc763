"""CPU milliseconds one patient message costs each server process (Rasa, action server).

Run: python -m benchmarks.message_cpu [--messages 60] [--kinds short,long] [--root PATH]
Starts the assistant as the tests do (clinic_assistant/stack/assistant.py), warms it up, then
sends each kind of message one after the other (no concurrency, 10 messages to a conversation)
and reads the processes' CPU time (user + system, /proc/<pid>/stat) before and after. CPU time
is far less noisy than latency on a shared machine: other work slows a reply down but does not
add to the CPU the servers spend on it. Prints one JSON line per kind.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Sequence

from benchmarks.run import LOAD_QUESTIONS
from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.stack.assistant import UNLIMITED_CHAT, Assistant, start_assistant

#: Long messages (120 characters or more: read sentence by sentence too), in the style of
#: real patients' messages: a story, then one or two questions.
LONG_MESSAGES = (
    "I have had lower back pain for about two years and my MRI last month showed a herniated "
    "disc at L4-L5. My doctor mentioned injections. How long is the recovery after a stem "
    "cell injection? And is it approved by the FDA?",
    "My sister had surgery for a slipped disc and it did not help much, so I am reading about "
    "other options. What are mesenchymal stem cells, and where do the stem cells come from?",
    "I am 52 and I sit at a desk all day. The pain goes down my left leg when I sit for a long "
    "time. What causes a slipped disc in the first place? Could exercise help with it?",
)
KINDS: Dict[str, Sequence[str]] = {"short": LOAD_QUESTIONS, "long": LONG_MESSAGES}
MESSAGES_PER_CONVERSATION = 10


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_kind(assistant: Assistant, kind: str, texts: Sequence[str],
                 messages: int) -> Dict[str, object]:
    """Send `messages` messages of one kind and return CPU ms per message per process."""
    pids = {"action_server": assistant.processes[0].popen.pid,
            "rasa": assistant.processes[1].popen.pid}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    latencies: List[float] = []
    for number in range(messages):
        sender = f"cpu-{kind}-{number // MESSAGES_PER_CONVERSATION}-{os.getpid()}"
        sent = time.perf_counter()
        assistant.say(sender, texts[number % len(texts)])
        latencies.append(1000 * (time.perf_counter() - sent))
    wall = time.perf_counter() - started
    used = {name: 1000 * (cpu_seconds(pid) - before[name]) / messages for name, pid in pids.items()}
    latencies.sort()
    return {"kind": kind, "messages": messages,
            "rasa_cpu_ms": round(used["rasa"], 1),
            "action_cpu_ms": round(used["action_server"], 1),
            "wall_ms": round(1000 * wall / messages, 1),
            "p50_ms": round(latencies[len(latencies) // 2], 1)}


def main(argv: Sequence[str] | None = None) -> None:
    """Start the assistant, measure each kind, print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=60, help="messages of each kind")
    parser.add_argument("--kinds", default="short,long")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT)
    args = parser.parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    work = Path(tempfile.mkdtemp(prefix="message-cpu-"))
    assistant = start_assistant(args.root.resolve(), work, extra_env=UNLIMITED_CHAT)
    try:
        for number, text in enumerate(LOAD_QUESTIONS[:5] + LONG_MESSAGES):
            assistant.say(f"warm-up-{number}", text)
        for kind in args.kinds.split(","):
            print(json.dumps(measure_kind(assistant, kind, KINDS[kind], args.messages)),
                  flush=True)
    finally:
        assistant.stop()


if __name__ == "__main__":
    main()
