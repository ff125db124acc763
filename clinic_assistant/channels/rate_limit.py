"""Limit how fast one conversation, or one client address, can send chat messages.

Every message costs the model a parse. A single sender posting 50 messages a second would make
every other patient wait; Rasa's per-conversation lock only queues them. Here each message first
takes a token from its conversation's bucket and from its address's bucket (refilled at a steady
rate, with room for a short burst); a message that finds either empty is refused at once, with a
kind text, before Rasa reads it. A patient typing normally never meets the limit. The buckets
live in memory, at most `max_keys` of each (the least recently used are forgotten).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Dict, Tuple

Clock = Callable[[], float]


@dataclass(frozen=True)
class RateLimits:
    """Burst size and steady rate for one conversation and for one client address."""

    conversation_burst: int = 8
    conversation_per_minute: float = 30.0
    #: Higher: several patients may share an address (a clinic's or a company's network).
    address_burst: int = 20
    address_per_minute: float = 60.0
    max_keys: int = 100_000


class TokenBuckets:
    """One token bucket per key."""

    def __init__(self, burst: int, per_minute: float, max_keys: int,
                 clock: Clock = time.monotonic) -> None:
        """`burst` tokens at most, refilled at `per_minute`."""
        self._burst = float(max(1, burst))
        self._per_second = max(per_minute, 0.0) / 60.0
        self._max_keys = max(1, max_keys)
        self._clock = clock
        self._buckets: "OrderedDict[str, Tuple[float, float]]" = OrderedDict()

    def _tokens(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self._burst, now))
        return min(self._burst, tokens + (now - at) * self._per_second)

    def has_token(self, key: str) -> bool:
        """Whether `key` could send now (nothing is taken)."""
        return self._tokens(key, self._clock()) >= 1.0

    def take(self, key: str) -> None:
        """Take one token for `key`."""
        now = self._clock()
        self._buckets[key] = (self._tokens(key, now) - 1.0, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)


class ChatRateLimiter:
    """Both limits together: a message is allowed when its conversation and address have room."""

    def __init__(self, limits: RateLimits = RateLimits(), clock: Clock = time.monotonic) -> None:
        """Buckets for conversations and for addresses."""
        self.limits = limits
        self._by_kind: Dict[str, TokenBuckets] = {
            "conversation": TokenBuckets(limits.conversation_burst, limits.conversation_per_minute,
                                         limits.max_keys, clock),
            "address": TokenBuckets(limits.address_burst, limits.address_per_minute,
                                    limits.max_keys, clock),
        }

    def allow(self, conversation: str, address: str) -> bool:
        """Whether this message may go to the assistant; takes its tokens if so."""
        keys = {"conversation": conversation, "address": address or "unknown"}
        if not all(self._by_kind[kind].has_token(key) for kind, key in keys.items()):
            return False
        for kind, key in keys.items():
            self._by_kind[kind].take(key)
        return True


def limiter_from_settings(settings: Any) -> ChatRateLimiter:
    """The limiter with the limits of the project's settings object."""
    return ChatRateLimiter(RateLimits(
        conversation_burst=settings.chat_burst,
        conversation_per_minute=settings.chat_messages_per_minute,
        address_burst=settings.address_burst,
        address_per_minute=settings.address_messages_per_minute,
    ))


def client_address(request: Any) -> str:
    """The client's address as Sanic sees it (`remote_addr` when proxies are configured with
    SANIC_PROXIES_COUNT / FORWARDED_SECRET, else the socket peer)."""
    return str(getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "")
