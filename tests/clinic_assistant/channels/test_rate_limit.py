"""The chat rate limit: a burst, then a steady rate, per conversation and per address."""

from __future__ import annotations

from clinic_assistant.channels.rate_limit import ChatRateLimiter, RateLimits, TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_steady_rate():
    clock = Clock()
    buckets = TokenBuckets(burst=3, per_minute=30, max_keys=10, clock=clock)
    allowed = []
    for _ in range(5):
        allowed.append(buckets.has_token("a"))
        if allowed[-1]:
            buckets.take("a")
    assert allowed == [True, True, True, False, False]
    clock.now += 2.0  # 30 a minute: one token every 2 s
    assert buckets.has_token("a")
    buckets.take("a")
    assert not buckets.has_token("a")
    clock.now += 600
    assert [buckets.has_token("a") and not buckets.take("a") for _ in range(4)] == [
        True, True, True, False]  # never more than the burst


def test_one_flooding_conversation_does_not_stop_another():
    clock = Clock()
    limiter = ChatRateLimiter(RateLimits(conversation_burst=5, conversation_per_minute=30,
                                         address_burst=100, address_per_minute=600), clock)
    flood = [limiter.allow("flooder", "198.51.100.1") for _ in range(50)]
    assert flood.count(True) == 5
    assert limiter.allow("patient", "198.51.100.1")  # same address, other conversation
    assert limiter.allow("patient", "203.0.113.7")


def test_new_conversation_ids_from_one_address_meet_the_address_limit():
    limiter = ChatRateLimiter(RateLimits(conversation_burst=5, address_burst=20,
                                         address_per_minute=60), Clock())
    allowed = [limiter.allow(f"fresh-{n}", "198.51.100.2") for n in range(100)]
    assert allowed.count(True) == 20
    assert limiter.allow("someone", "203.0.113.8")


def test_a_refused_message_takes_no_token():
    """Refused by its address, a message does not use up its conversation's tokens."""
    limiter = ChatRateLimiter(RateLimits(conversation_burst=2, address_burst=1,
                                         address_per_minute=0.0001), Clock())
    assert limiter.allow("a", "x")
    assert not limiter.allow("a", "x")
    assert limiter.allow("a", "y")  # still has its second token


def test_memory_is_bounded():
    limiter = TokenBuckets(burst=1, per_minute=1, max_keys=100, clock=Clock())
    for n in range(10_000):
        limiter.take(f"k{n}")
    assert len(limiter._buckets) == 100
