"""Several Rasa servers: a patient's widget connected to server A gets a staff reply posted to
server B. Real servers on loopback: a private redis-server, Rasa servers A and B sharing it
(socket.io manager and AtomicRedisLockStore) and one SQLite conversation file, and server C
configured as a single server is today (no Redis), in a real browser running the widget."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

import aiohttp
import pytest
import socketio
from playwright.sync_api import expect

from clinic_assistant.staff_console.rasa_api import RasaClient, staff_event
from tests.conftest import PROJECT_ROOT
from clinic_assistant.stack.redis_server import start_redis
from clinic_assistant.stack.assistant import UNLIMITED_CHAT, start_assistant, start_replica
from tests.web.conftest import chromium, page  # noqa: F401  (page: a fixture)
from tests.web.test_widget_browser import ask, expect_bot_text, open_chat, session_id

pytestmark = pytest.mark.e2e
CHANNEL = "clinic-assistant-socketio"
STAFF = ".clinic-chat__message--staff"

#: Both replicas share the conversation file (Rasa's plain SQL store: no in-memory copy that
#: the other replica's writes would make stale) and the atomic Redis lock store.
CLUSTER_ENDPOINTS = """\
action_endpoint:
  url: ${ACTION_ENDPOINT_URL}
tracker_store:
  type: SQL
  dialect: sqlite
  db: ${TRACKER_DB}
lock_store:
  type: clinic_assistant.serving.lock_store.AtomicRedisLockStore
  url: ${REDIS_HOST}
  port: ${REDIS_PORT}
  password: ${REDIS_PASSWORD}
  db: 1
"""


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module only: the e2e tests after it call asyncio.run, which fails
    while Playwright's sync API holds the event loop."""
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Redis, replica A (with the action server and the demo page), replica B, and C: a Rasa
    server without Redis on the same files. B and C start side by side."""
    folder = tmp_path_factory.mktemp("cluster")
    redis = start_redis(folder)
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(CLUSTER_ENDPOINTS)
    redis_env = {"REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port),
                 "REDIS_PASSWORD": redis.password}
    servers = []
    try:
        a = start_assistant(PROJECT_ROOT, folder, endpoints=str(endpoints),
                            extra_env={**redis_env, **UNLIMITED_CHAT})
        servers.append(a)
        (folder / "b").mkdir()
        (folder / "c").mkdir()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            b = pool.submit(start_replica, PROJECT_ROOT, a, folder / "b")
            c = pool.submit(start_replica, PROJECT_ROOT, a, folder / "c",
                            extra_env={"REDIS_HOST": "", "REDIS_PASSWORD": ""},
                            endpoints="endpoints.yml")
            for future in (b, c):
                servers.append(future.result())
        running = {"a": servers[0], "b": servers[1], "c": servers[2], "redis": redis}
        yield running
        redis = running["redis"]  # a test may have restarted it
    finally:
        for server in reversed(servers):
            server.stop()
        redis.stop()


def subscribers(redis) -> int:
    """How many servers listen on the socket.io channel."""
    return int(redis.client().pubsub_numsub(CHANNEL)[0][1])


def run_async(coroutine) -> object:
    """Run a coroutine in a thread of its own: Playwright's sync API owns this thread's loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def post_staff_reply(server, conversation_id: str, text: str) -> None:
    """What the console does for a staff reply (clinic_assistant/staff_console/api.py): a `bot`
    event with the staff payload, output_channel=latest; RasaApiError unless HTTP 200."""

    async def send() -> None:
        async with aiohttp.ClientSession() as session:
            await RasaClient(session, server.url, server.token).append(conversation_id, [
                staff_event({"sender": "staff", "name": "Anna (nurse)", "text": text})])

    run_async(send())


def start_chat_on_a(page, cluster, content) -> str:
    """The patient opens the widget (served for replica A) and asks a question; their id."""
    open_chat(page, cluster["a"].demo_url)
    ask(page, "what is a herniated disc?")
    expect_bot_text(page, content.render(content.answers["faq_herniated_disc"].answer))
    return session_id(page)


def test_a_staff_reply_posted_to_replica_b_reaches_the_patient_on_replica_a(page, cluster,
                                                                           content):
    assert subscribers(cluster["redis"]) == 2  # A and B from their start, C not at all
    conversation = start_chat_on_a(page, cluster, content)

    post_staff_reply(cluster["b"], conversation, "Hello, this is Anna, answering through B.")
    message = page.locator(STAFF).filter(has_text="answering through B")
    expect(message).to_be_visible(timeout=10_000)
    expect(message).to_contain_text("Anna (nurse)")
    time.sleep(1)
    expect(page.locator(STAFF)).to_have_count(1)  # delivered once, not once per replica
    # Both replicas handled the conversation under the atomic lock store's Lua scripts.
    stats = cluster["redis"].client().info("commandstats")
    assert stats.get("cmdstat_evalsha", {}).get("calls", 0) + stats.get(
        "cmdstat_eval", {}).get("calls", 0) > 0
    tracker = cluster["a"].tracker(conversation)  # stored once, in the shared file
    staff = [e for e in tracker["events"] if e["event"] == "bot"
             and "answering through B" in str(e.get("data"))]
    assert len(staff) == 1
    logs = [process.log for server in (cluster["a"], cluster["b"]) for process in server.processes]
    assert any(log.name == "rasa.log" for log in logs)
    for log in logs:  # the Redis password is never logged
        assert cluster["redis"].password not in log.read_text(errors="replace"), log


def test_without_the_redis_manager_the_reply_never_arrives(page, cluster, content):
    """Replica C is configured as a single server is: the API answers 200, the patient on A
    sees nothing. That is what this module guards against (and proves the test can fail)."""
    conversation = start_chat_on_a(page, cluster, content)
    post_staff_reply(cluster["c"], conversation, "Sent through C, which has no Redis.")
    time.sleep(5)
    expect(page.locator(STAFF)).to_have_count(0)
    post_staff_reply(cluster["b"], conversation, "Sent through B.")  # the page still listens
    expect(page.locator(STAFF).filter(has_text="Sent through B.")).to_be_visible(timeout=10_000)


def test_a_clustered_replica_refuses_long_polling_a_single_server_still_accepts_it(cluster):
    """Long-polling without sticky sessions would send a connection's requests to any
    replica; the widget connects by websocket only."""

    async def connect(server) -> bool:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(server.url, headers={"Origin": cluster["a"].demo_url},
                                 transports=["polling"], socketio_path="socket.io")
        except socketio.exceptions.ConnectionError:
            return False
        await client.disconnect()
        return True

    assert run_async(connect(cluster["b"])) is False
    assert run_async(connect(cluster["c"])) is True


def test_a_staff_reply_posted_while_redis_restarts_still_reaches_the_patient(page, cluster,
                                                                           content):
    """Redis stops; a staff reply is posted to B meanwhile; Redis is back 2 s later. The reply
    waits for Redis and reaches the patient on A once (pub/sub keeps nothing: it used to be
    lost, with HTTP 200)."""
    conversation = start_chat_on_a(page, cluster, content)
    redis = cluster["redis"]
    redis.stop()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        sent = pool.submit(post_staff_reply, cluster["b"], conversation,
                           "Sent while Redis restarted.")
        time.sleep(2)
        assert not sent.done()  # the reply waits for Redis
        cluster["redis"] = start_redis(redis.folder, port=redis.port, password=redis.password)
        sent.result(timeout=30)
    message = page.locator(STAFF).filter(has_text="while Redis restarted")
    expect(message).to_be_visible(timeout=15_000)
    time.sleep(1)
    expect(message).to_have_count(1)
    post_staff_reply(cluster["b"], conversation, "And after the restart.")
    expect(page.locator(STAFF).filter(has_text="after the restart")).to_be_visible(
        timeout=10_000)
