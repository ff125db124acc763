"""How many password guesses the real staff console checks per minute for one account.

Run: python -m benchmarks.login_guessing [--seconds 60] [--workers 8] [--addresses 30]

Starts the console process alone (a fresh database in a temporary folder, an account made with
the real command), then guesses wrong passwords for that account as fast as it answers:
first from one address, then from `--addresses` other loopback addresses (127.0.0.x, real
socket peers). A guess is "checked" when the console compared the password (303 back to the
login page) and "refused" when it answered 429 without looking. Before the throttling the
issue measured about 1,600 checked guesses a minute from one address.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict

import requests
from requests.adapters import HTTPAdapter

from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.stack.assistant import start_console
from clinic_assistant.stack.processes import free_port, wait_until_up

PASSWORD = "the real password for the benchmark"


class FromAddress(HTTPAdapter):
    """Connect from a given local address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        """Connect from this adapter's own loopback address."""
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def guess_for(url: str, seconds: float, workers: int, address_of: Callable[[int], str]) -> Counter:
    """Wrong guesses for `seconds` from `workers` threads; counts of status codes."""
    counts: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        attempt = 0
        while time.monotonic() < deadline:
            http = requests.Session()
            http.mount("http://", FromAddress(address_of(index * 10_000 + attempt)))
            status = http.post(f"{url}/login", data={"username": "anna",
                                                     "password": f"wrong guess {attempt}"},
                               allow_redirects=False, timeout=30).status_code
            with lock:
                counts[status] += 1
            attempt += 1

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(worker, range(workers)))
    return counts


def run(seconds: float, workers: int, addresses: int) -> Dict[str, Counter]:
    """Start the console, make the account, guess from one address and then from many."""
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{Path(folder) / 'handoff.db'}"
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "HANDOFF_DB_URL": db_url,
               "RASA_AUTH_TOKEN": secrets.token_hex(16),
               "RASA_URL": f"http://127.0.0.1:{free_port()}"}
        subprocess.run([sys.executable, "-m", "clinic_assistant.handoff", "add-staff", "anna",
                        "--password-stdin"], input=PASSWORD + "\n", text=True, check=True,
                       env=env, cwd=PROJECT_ROOT, capture_output=True)
        port = free_port()
        console = start_console(PROJECT_ROOT, env, port, Path(folder) / "console.log")
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(f"{url}/health", console)
            one = guess_for(url, seconds, workers, lambda _n: "127.0.0.2")
            many = guess_for(url, seconds, workers,
                             lambda n: f"127.0.1.{10 + n % addresses}")
            log = console.log.read_text(errors="replace")
            assert "wrong guess" not in log, "a guessed password reached the console's log"
        finally:
            console.stop()
    return {"one address": one, f"{addresses} addresses": many}


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--addresses", type=int, default=30)
    args = parser.parse_args()
    results = run(args.seconds, args.workers, args.addresses)
    print(f"login guessing: one account, {args.workers} parallel guessers, "
          f"{args.seconds:.0f} s per phase")
    for phase, counts in results.items():
        checked, refused = counts[303], counts[429]
        per_minute = checked * 60.0 / args.seconds
        print(f"  from {phase:<13}: {checked + refused:>6} guesses sent, {checked:>4} checked "
              f"({per_minute:.1f} per minute), {refused:>6} refused with 429, "
              f"other answers: {sum(counts.values()) - checked - refused}")
    print("  limits: 10 failures per account and address per 15 minutes, "
          "100 per account per hour (the second phase starts after the first one's failures)")


if __name__ == "__main__":
    main()
