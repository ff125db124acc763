"""socket.io across Rasa servers: the Redis manager only with REDIS_HOST, JSON on the channel
(never unpickled), websockets only. Against a real redis-server where Redis is involved; the
two-server test is tests/e2e/test_cluster_socketio.py."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import json
import os
import pickle
from pathlib import Path
from typing import AsyncIterator, List, Tuple

import pytest
from socketio import AsyncServer

from clinic_assistant.channels.socketio import ClinicSocketIOInput
from clinic_assistant.channels.socketio_cluster import JsonRedisManager, redis_manager
from clinic_assistant.settings import Settings, get_settings
from clinic_assistant.stack.redis_server import start_redis

CREDENTIALS = {"session_persistence": True, "cors_allowed_origins": "https://clinic.example"}


def settings(**changes) -> Settings:
    return dataclasses.replace(get_settings(), **changes)


@pytest.fixture
def cluster_env(monkeypatch):
    """REDIS_* in the environment, as .env would set them; the settings read afresh."""
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", "6390")
    monkeypatch.setenv("REDIS_PASSWORD", "a-redis-password-for-tests")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def handler(message):
    return None


def test_one_server_without_redis_keeps_pythons_socketio_defaults(monkeypatch):
    monkeypatch.delenv("REDIS_HOST", raising=False)
    get_settings.cache_clear()
    try:
        channel = ClinicSocketIOInput.from_credentials(dict(CREDENTIALS))
        channel.blueprint(handler)
    finally:
        get_settings.cache_clear()
    assert redis_manager(get_settings()) is None
    assert type(channel.sio.manager).__name__ == "AsyncManager"
    assert channel.sio.eio.transports == ["polling", "websocket"]


def test_with_redis_host_the_server_shares_sockets_through_redis_and_takes_websockets_only(
        cluster_env):
    channel = ClinicSocketIOInput.from_credentials(dict(CREDENTIALS))
    channel.blueprint(handler)
    manager = channel.sio.manager
    assert isinstance(manager, JsonRedisManager)
    assert manager.server is channel.sio
    assert manager.channel == "clinic-assistant-socketio"
    assert channel.sio.eio.transports == ["websocket"]
    assert channel.get_output_channel().sio is channel.sio  # what output_channel=latest uses
    # Rasa 3.6 calls sio.enter_room(...) without await (RasaHQ/rasa#13027): the Redis manager
    # keeps python-socketio 5.9's synchronous, per-server rooms.
    assert not inspect.iscoroutinefunction(manager.enter_room)


def test_the_password_is_in_no_url_and_not_in_the_settings_repr(cluster_env):
    manager = redis_manager(get_settings())
    assert manager.redis_url == "redis://127.0.0.1:6390/0"
    assert "a-redis-password-for-tests" not in repr(get_settings())
    assert manager.redis.connection_pool.connection_kwargs["password"] == (
        "a-redis-password-for-tests")


def test_a_redis_host_without_a_password_is_refused():
    with pytest.raises(ValueError, match="REDIS_PASSWORD"):
        redis_manager(settings(redis_host="127.0.0.1", redis_password=""))


class Trap:
    """Unpickling this creates a file: proof that a pickle was loaded."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (self.path,))


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


async def test_messages_travel_as_json_and_a_pickle_on_the_channel_is_never_loaded(
        redis_server, tmp_path):
    config = settings(redis_host="127.0.0.1", redis_port=redis_server.port,
                      redis_password=redis_server.password,
                      socketio_redis_channel=f"test-{os.getpid()}")
    listener, sender = redis_manager(config), redis_manager(config)
    listener.set_server(AsyncServer(async_mode="asgi"))
    messages = listener._listen()
    first = asyncio.ensure_future(messages.__anext__())
    deadline = asyncio.get_running_loop().time() + 10
    channel = config.socketio_redis_channel
    while redis_server.client().pubsub_numsub(channel)[0][1] < 1:
        assert asyncio.get_running_loop().time() < deadline, "the listener never subscribed"
        await asyncio.sleep(0.05)

    trap = tmp_path / "unpickled"
    redis_server.client().publish(channel, pickle.dumps(
        {"method": "emit", "event": "bot_uttered", "data": Trap(trap)}))
    await sender._publish({"method": "emit", "event": "bot_uttered", "data": {"text": "hello"},
                           "namespace": "/", "room": "session-1", "skip_sid": None,
                           "callback": None, "host_id": sender.host_id})
    message = await asyncio.wait_for(first, 10)
    assert message["data"] == {"text": "hello"} and message["room"] == "session-1"
    assert not trap.exists()
    await messages.aclose()
    await listener.redis.close()
    await sender.redis.close()


def emit_message(sender: JsonRedisManager, text: str) -> dict:
    """What python-socketio publishes for `sio.emit("bot_uttered", ..., room="session-1")`."""
    return {"method": "emit", "event": "bot_uttered", "data": {"text": text}, "namespace": "/",
            "room": "session-1", "skip_sid": None, "callback": None, "host_id": sender.host_id}


async def until(check, seconds: float, what: str) -> None:
    """Poll `check` (a plain function) until it is true."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def collecting_texts(config: Settings) -> AsyncIterator[Tuple[JsonRedisManager, List[str]]]:
    """A server's manager listening on the channel, and the texts of the messages it receives
    (in order); it stops listening and closes its Redis client afterwards."""
    listener = redis_manager(config)
    listener.set_server(AsyncServer(async_mode="asgi"))
    received: List[str] = []

    async def collect() -> None:
        async for message in listener._listen():
            received.append(message["data"]["text"])

    collecting = asyncio.ensure_future(collect())
    try:
        yield listener, received
    finally:
        collecting.cancel()
        await asyncio.gather(collecting, return_exceptions=True)
        await listener.redis.close()


async def test_a_message_published_while_redis_restarts_arrives_once(tmp_path):
    """A staff reply emitted while Redis is down waits for it (instead of being dropped), and
    reaches the other server once it has subscribed again."""
    server = start_redis(tmp_path / "redis")
    channel = f"restart-{os.getpid()}"
    config = settings(redis_host="127.0.0.1", redis_port=server.port,
                      redis_password=server.password, socketio_redis_channel=channel)
    sender = redis_manager(config)
    try:
        async with collecting_texts(config) as (_, received):
            await until(lambda: server.client().pubsub_numsub(channel)[0][1] >= 1, 10,
                        "subscribed")
            assert await sender._publish(emit_message(sender, "before")) == 1
            await until(lambda: received == ["before"], 10, "the first message")

            server.stop()
            publishing = asyncio.ensure_future(sender._publish(emit_message(sender, "during")))
            await asyncio.sleep(1.5)  # Redis is down: the message waits
            assert not publishing.done()
            server = await asyncio.to_thread(start_redis, tmp_path / "redis", port=server.port,
                                             password=server.password)
            await asyncio.wait_for(publishing, 15)
            await until(lambda: "during" in received, 10, "the message sent during the restart")
            await asyncio.sleep(0.5)
            assert received == ["before", "during"]  # once, not once per attempt
    finally:
        await sender.redis.close()
        server.stop()


async def test_a_message_published_twice_is_delivered_once(redis_server):
    """Every message carries an id; a repeat (a sender publishing again because a server had
    not subscribed yet) is dropped by the servers that already had it."""
    config = settings(redis_host="127.0.0.1", redis_port=redis_server.port,
                      redis_password=redis_server.password,
                      socketio_redis_channel=f"twice-{os.getpid()}")
    async with collecting_texts(config) as (listener, received):
        channel = config.socketio_redis_channel
        await until(lambda: redis_server.client().pubsub_numsub(channel)[0][1] >= 1, 10,
                    "subscribed")
        once = json.dumps({**emit_message(listener, "once"), "message_id": "m-1"})
        for body in (once, once, json.dumps({**emit_message(listener, "next"),
                                             "message_id": "m-2"})):
            redis_server.client().publish(channel, body)
        await until(lambda: "next" in received, 10, "the messages")
        assert received == ["once", "next"]
