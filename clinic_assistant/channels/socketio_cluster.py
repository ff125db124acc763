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
"""

from __future__ import annotations

import json
import logging
from typing import Any, AsyncIterator, Dict, Optional

from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer

from clinic_assistant.settings import Settings

logger = logging.getLogger(__name__)

#: Transports a clustered server accepts (long-polling would need sticky sessions).
CLUSTER_TRANSPORTS = ["websocket"]


class JsonRedisManager(AsyncRedisManager):
    """python-socketio's Redis manager with JSON on the channel instead of pickle."""

    name = "clinic-redis"

    async def _publish(self, data: Dict[str, Any]) -> Any:
        """Publish one message; reconnect once if Redis went away (as python-socketio does)."""
        body = json.dumps(data)
        for attempt in (1, 2):
            try:
                if attempt == 2:
                    self._redis_connect()
                return await self.redis.publish(self.channel, body)
            except Exception as error:  # redis.RedisError, OSError
                logger.error("socket.io: cannot publish to Redis (%s), attempt %d",
                             type(error).__name__, attempt)
        return None

    async def _listen(self) -> AsyncIterator[Dict[str, Any]]:
        """Messages as dicts, so python-socketio never unpickles anything."""
        async for raw in super()._listen():
            try:
                message = json.loads(raw)
            except (TypeError, ValueError):
                message = None
            if isinstance(message, dict):
                yield message
            else:
                logger.warning("socket.io: ignored a message on the Redis channel that is not "
                               "a JSON object")


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
