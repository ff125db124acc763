"""The atomic Redis lock store against a real redis-server, used from several processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore

from clinic_assistant.serving.lock_store import KEY_GRACE_SECONDS, AtomicRedisLockStore
from tests.conftest import PROJECT_ROOT
from clinic_assistant.stack.redis_server import start_redis


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def store(redis_server):
    return AtomicRedisLockStore(host="127.0.0.1", port=redis_server.port,
                                password=redis_server.password, db=1)


def run_workers(redis_server, kind: str, conversation: str, processes: int, tasks: int,
                rounds: int) -> list:
    """Start `processes` worker processes at the same moment (once every one has imported Rasa
    and says so); their JSON results."""
    env = {**os.environ, "REDIS_PORT": str(redis_server.port),
           "REDIS_PASSWORD": redis_server.password}
    workers = [subprocess.Popen([sys.executable, "-m", "benchmarks.lock_worker",
                                 kind, conversation, str(tasks), str(rounds), "stdin"],
                                cwd=PROJECT_ROOT, env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
               for _ in range(processes)]
    assert [worker.stdout.readline() for worker in workers] == ["ready\n"] * processes
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [worker.communicate(timeout=180)[0] for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs
    return [json.loads(output.strip().splitlines()[-1]) for output in outputs]


def test_two_processes_never_handle_one_conversation_at_once(redis_server):
    results = run_workers(redis_server, "atomic", "patient-a", processes=2, tasks=4, rounds=15)
    assert [r["lock_errors"] for r in results] == [0, 0]
    counter = int(redis_server.client(db=1).get("counter:patient-a"))
    assert counter == 2 * 4 * 15  # no read-modify-write of another process was lost
    assert redis_server.client(db=1).get("lock:patient-a") is None  # the last one cleaned up


def test_tickets_are_unique_and_in_order(store):
    numbers = [store.issue_ticket("patient-b") for _ in range(5)]
    assert numbers == [0, 1, 2, 3, 4]
    lock = store.get_lock("patient-b")  # Rasa's own reading of the stored format
    assert isinstance(lock, TicketLock) and lock.now_serving == 0 and lock.last_issued == 4
    assert lock.is_locked(1) and not lock.is_locked(0)


def test_cleanup_keeps_a_ticket_issued_meanwhile(store):
    first = store.issue_ticket("patient-c")
    second = store.issue_ticket("patient-c")  # another server's message arrives
    store.cleanup("patient-c", first)
    lock = store.get_lock("patient-c")
    assert lock is not None and lock.now_serving == second
    store.cleanup("patient-c", second)
    assert store.get_lock("patient-c") is None


def test_expired_tickets_are_dropped_and_the_key_expires(store, redis_server):
    store.issue_ticket("patient-d", lock_lifetime=0.2)
    waiting = store.issue_ticket("patient-d", lock_lifetime=60)
    ttl = redis_server.client(db=1).ttl("lock:patient-d")
    assert 60 < ttl <= 60 + KEY_GRACE_SECONDS + 1
    time.sleep(0.3)
    store.update_lock("patient-d")
    assert store.get_lock("patient-d").now_serving == waiting


def test_rasa_store_reads_what_the_atomic_store_wrote(store, redis_server):
    store.issue_ticket("patient-e")
    rasa_store = RedisLockStore(host="127.0.0.1", port=redis_server.port,
                                password=redis_server.password, db=1)
    assert rasa_store.get_lock("patient-e").last_issued == 0


async def test_lock_context_waits_its_turn(store):
    async with store.lock("patient-f") as lock:
        assert lock.now_serving == 0
        assert store.is_someone_waiting("patient-f")
    assert store.get_lock("patient-f") is None


def test_redis_refuses_clients_without_the_password(redis_server):
    import redis

    with pytest.raises(redis.AuthenticationError):
        redis.Redis(host="127.0.0.1", port=redis_server.port).ping()
