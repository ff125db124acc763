"""Paths and settings read from the environment once, with defaults for local runs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


def read_settings(env: Mapping[str, str]) -> Settings:
    """The settings an environment gives (for this process: `get_settings`; the cluster
    launcher reads the environment it gives its servers the same way)."""
    content_dir = Path(env.get("CLINIC_CONTENT_DIR", PROJECT_ROOT / "content"))
    cache_dir = Path(env.get("EMBEDDING_CACHE_DIR",
                                    PROJECT_ROOT / "var" / "cache" / "embeddings"))
    mpnet_dir = Path(env.get("MPNET_MODEL_DIR",
                                    PROJECT_ROOT / "var" / "models" / "all-mpnet-base-v2"))
    tracker_db = Path(env.get("TRACKER_DB") or "var/tracker.db")
    rasa_url = env.get("RASA_URL") or (
        f"http://{env.get('RASA_HOST', '127.0.0.1')}:{env.get('RASA_PORT', '5005')}")
    return Settings(content_dir=content_dir, embedding_cache_dir=cache_dir,
                    mpnet_model_dir=mpnet_dir,
                    tracker_db=(tracker_db if tracker_db.is_absolute()
                                else PROJECT_ROOT / tracker_db),
                    rasa_url=rasa_url.rstrip("/"),
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
