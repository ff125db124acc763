"""socket.io across several Rasa servers: a Redis client manager, websockets only.

Rasa 3.6's `SocketIOInput` builds its `AsyncServer` with no client manager, so a server emits
only to the sockets connected to itself. Behind a load balancer, a staff reply posted with
`output_channel=latest` to server B would never reach a patient whose socket is on server A,
and the API would still answer 200. With REDIS_HOST set, every server publishes what it emits on
one Redis pub/sub channel and every server delivers it to its own sockets in the room (the
session id with `session_persistence`, or the socket id): python-socketio's `AsyncRedisManager`.

python-socketio pickles these messages and unpickles whatever arrives on the channel, so anyone
who can publish there could run code in every Rasa server. `JsonRedisManager` sends JSON instead
and ignores anything else; Redis must still be private (loopback or a private network) and
password-protected, since what is published are the assistant's and staff's messages.

Long-polling needs every request of a connection to reach the same server (sticky sessions):
in a cluster the server accepts websockets only, as the widget connects (web/widget).

Redis pub/sub keeps nothing: a message published while Redis restarts, or before a server has
subscribed again, is gone. So a message waits for Redis (up to PUBLISH_SECONDS), is published
again while it reached fewer servers than the last one did (up to ALL_SERVERS_SECONDS: a
server still re-subscribing), and each server drops a message id it has already delivered.
Servers re-subscribe every RESUBSCRIBE_SECONDS (python-socketio waits 1, 2, 4 ... 60 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import OrderedDict
from typing import Any, AsyncIterator, Dict, Optional

from sanic import Blueprint
from redis import asyncio as aioredis
from socketio import AsyncRedisManager, AsyncServer

from clinic_assistant.settings import Settings

logger = logging.getLogger(__name__)

#: Transports a clustered server accepts (long-polling would need sticky sessions).
CLUSTER_TRANSPORTS = ["websocket"]
#: How long a message waits for an unreachable Redis before it is dropped (and logged); below
#: the staff console's 15 s timeout for a reply.
PUBLISH_SECONDS = 10.0
#: How long a message is published again while it reaches fewer servers than the last one.
ALL_SERVERS_SECONDS = 5.0
#: Pause between two attempts (publishing, or subscribing again after Redis went away).
RETRY_SECONDS = 0.25
RESUBSCRIBE_SECONDS = 0.5
#: Message ids each server remembers, to deliver a message published again only once.
REMEMBERED_IDS = 4096
#: The id field added to every message on the channel.
MESSAGE_ID = "message_id"


class JsonRedisManager(AsyncRedisManager):
    """python-socketio's Redis manager with JSON on the channel instead of pickle."""

    name = "clinic-redis"
    #: The publishing client (python-socketio's `_redis_connect` sets it; redis.asyncio.Redis).
    redis: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """python-socketio's manager, plus what delivery across a Redis restart needs."""
        super().__init__(*args, **kwargs)
        #: Servers the latest message reached (PUBLISH's count of subscribers).
        self.servers_reached = 0
        self._delivered: "OrderedDict[str, None]" = OrderedDict()

    async def _publish(self, data: Dict[str, Any]) -> Any:
        """Publish one message as JSON, waiting for Redis and for every server to listen."""
        loop = asyncio.get_running_loop()
        body = json.dumps({**data, MESSAGE_ID: uuid.uuid4().hex})
        reached = await self._publish_until(body, loop.time() + PUBLISH_SECONDS)
        if reached is None:
            return None
        settle = loop.time() + ALL_SERVERS_SECONDS
        while reached < self.servers_reached and loop.time() < settle:
            # Fewer servers than last time: some are subscribing again after a Redis restart.
            await asyncio.sleep(RETRY_SECONDS)
            again = await self._publish_until(body, settle)
            reached = reached if again is None else again
        if reached < self.servers_reached:
            logger.warning("socket.io: a message reached %d of %d servers on Redis", reached,
                           self.servers_reached)
        self.servers_reached = reached
        return reached

    async def _publish_until(self, body: str, deadline: float) -> Optional[int]:
        """PUBLISH until Redis takes it or `deadline` (loop time) passes; the servers it reached."""
        loop = asyncio.get_running_loop()
        failures = 0
        while True:
            try:
                return int(await self.redis.publish(self.channel, body))
            except Exception as error:  # redis.RedisError, OSError
                failures += 1
                if failures == 1:
                    logger.warning("socket.io: cannot publish to Redis (%s); retrying for up "
                                   "to %.0f s", type(error).__name__, PUBLISH_SECONDS)
                if loop.time() >= deadline:
                    logger.error("socket.io: cannot publish to Redis (%s); a message was "
                                 "dropped", type(error).__name__)
                    return None
            await asyncio.sleep(RETRY_SECONDS)
            # A new client for the publisher only: the listener keeps its own subscription.
            old, self.redis = self.redis, aioredis.Redis.from_url(self.redis_url,
                                                                  **self.redis_options)
            with contextlib.suppress(Exception):
                await old.close()

    async def _redis_listen_with_retries(self) -> AsyncIterator[Dict[str, Any]]:
        """Redis's messages; after an error, subscribe again every RESUBSCRIBE_SECONDS."""
        connect, failing = False, False
        while True:
            try:
                if connect:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    if failing:
                        logger.warning("socket.io: receiving from Redis again")
                    failing = False
                async for message in self.pubsub.listen():
                    yield message
            except Exception as error:  # redis.RedisError, OSError
                if not failing:
                    logger.error("socket.io: cannot receive from Redis (%s); subscribing again "
                                 "every %.1f s", type(error).__name__, RESUBSCRIBE_SECONDS)
                connect, failing = True, True
                await asyncio.sleep(RESUBSCRIBE_SECONDS)

    async def _listen(self) -> AsyncIterator[Dict[str, Any]]:
        """Messages as dicts, so python-socketio never unpickles anything; each id once."""
        async for raw in super()._listen():
            try:
                message = json.loads(raw)
            except (TypeError, ValueError):
                message = None
            if not isinstance(message, dict):
                logger.warning("socket.io: ignored a message on the Redis channel that is not "
                               "a JSON object")
                continue
            message_id = message.get(MESSAGE_ID)
            if isinstance(message_id, str):
                if message_id in self._delivered:
                    continue  # published again for a server that had not subscribed yet
                self._delivered[message_id] = None
                if len(self._delivered) > REMEMBERED_IDS:
                    self._delivered.popitem(last=False)
            yield message


def redis_manager(settings: Settings) -> Optional[JsonRedisManager]:
    """The client manager for a clustered server, None for a single one (no REDIS_HOST)."""
    if not settings.clustered:
        return None
    if not settings.redis_password:
        raise ValueError("REDIS_HOST is set but REDIS_PASSWORD is empty: the Redis server that "
                         "Rasa servers share must require a password")
    host = f"[{settings.redis_host}]" if ":" in settings.redis_host else settings.redis_host
    # The password travels as a connection option, never inside a URL string.
    return JsonRedisManager(f"redis://{host}:{settings.redis_port}/0",
                            channel=settings.socketio_redis_channel,
                            redis_options={"password": settings.redis_password,
                                           "socket_connect_timeout": 5})


def join_cluster(sio: AsyncServer, blueprint: Blueprint, settings: Settings) -> None:
    """Make a freshly built server share its sockets through Redis and accept websockets only.

    `AsyncServer(client_manager=m)` does nothing but `self.manager = m; m.set_server(self)`;
    Rasa builds the server inside its blueprint, so the same two steps are done here, before any
    client can connect. Nothing changes without REDIS_HOST.
    """
    manager = redis_manager(settings)
    if manager is None:
        return
    sio.manager = manager
    manager.set_server(sio)
    sio.eio.transports = list(CLUSTER_TRANSPORTS)

    async def listen(_app: Any, _loop: Any) -> None:
        # python-socketio subscribes on the first connection to *this* server; subscribe at
        # start instead, so a message published right after a patient connects is not missed.
        if not sio.manager_initialized:
            sio.manager_initialized = True
            manager.initialize()

    blueprint.listener("after_server_start")(listen)
    logger.info("socket.io shares its sockets through Redis at %s:%d (websockets only)",
                settings.redis_host, settings.redis_port)
