"""Rasa's Redis lock store, made atomic across processes.

Rasa 3.6's `RedisLockStore` changes a conversation's ticket lock by GET, edit in Python, SET, with
nothing in between to stop another Rasa process. Two servers receiving messages of the same
conversation at once can then both be issued the same ticket (both handle the conversation at
the same time and one's events overwrite the other's), and `cleanup` (finish serving, then delete
the lock if nobody waits) can delete a ticket another server issued in between, which makes that
server drop the message with `LockError` (RasaHQ/rasa#9213).

`AtomicRedisLockStore` keeps Rasa's ticket-lock algorithm and its stored format (a JSON
`TicketLock` under `lock:<conversation id>`, readable by Rasa's own `get_lock`), but every change
of a lock is one Lua script, which Redis runs without interleaving anything else. Each key also
expires a minute after its last ticket would, so a crashed server cannot leave a lock behind.

endpoints.yml:
    lock_store:
      type: clinic_assistant.serving.lock_store.AtomicRedisLockStore
      url: 127.0.0.1          # host
      port: 6379
      password: ${REDIS_PASSWORD}
      db: 1
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional, Text, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")

#: Seconds a lock key outlives its last ticket (a crashed server's lock then disappears).
KEY_GRACE_SECONDS = 60
#: How long a lock operation waits for Redis to come back (a restart takes well under that).
REDIS_WAIT_SECONDS = 6.0
#: How often a waiting message checks whether its turn has come (Rasa polls once a second).
WAIT_SECONDS = 0.05

# Shared by the scripts: decode the stored lock and drop expired tickets. Rasa stores
# {"conversation_id": ..., "tickets": ["{\"number\": 1, \"expires\": 1.5}", ...]}.
_LOAD = """
local now = tonumber(ARGV[1])
local tickets = {}
local raw = redis.call('GET', KEYS[1])
if raw then
  for _, item in ipairs(cjson.decode(raw)['tickets'] or {}) do
    local ticket = cjson.decode(item)
    if tonumber(ticket['expires']) >= now then
      table.insert(tickets, ticket)
    end
  end
end
local function store(conversation_id)
  if #tickets == 0 then
    redis.call('DEL', KEYS[1])
    return
  end
  local items = {}
  local last_expiry = 0
  for i, ticket in ipairs(tickets) do
    items[i] = cjson.encode(cjson.encode({number = ticket['number'],
                                          expires = ticket['expires']}))
    if ticket['expires'] > last_expiry then last_expiry = ticket['expires'] end
  end
  local body = '{"conversation_id": ' .. cjson.encode(conversation_id) ..
               ', "tickets": [' .. table.concat(items, ', ') .. ']}'
  local ttl = math.ceil(last_expiry - now) + tonumber(ARGV[2])
  redis.call('SET', KEYS[1], body, 'EX', math.max(ttl, 1))
end
"""

#: ARGV: now, grace, conversation id, lifetime. Appends a ticket, returns its number.
ISSUE_TICKET = _LOAD + """
local number = 0
if #tickets > 0 then number = tonumber(tickets[#tickets]['number']) + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[4])})
store(ARGV[3])
return number
"""

#: ARGV: now, grace, conversation id, ticket number. Removes that ticket (and expired ones);
#: deletes the lock when no ticket is left.
FINISH_SERVING = _LOAD + """
local kept = {}
for _, ticket in ipairs(tickets) do
  if tonumber(ticket['number']) ~= tonumber(ARGV[4]) then table.insert(kept, ticket) end
end
tickets = kept
store(ARGV[3])
return #tickets
"""

#: ARGV: now, grace, conversation id. Removes expired tickets.
REMOVE_EXPIRED = _LOAD + """
store(ARGV[3])
return #tickets
"""


def _while_redis_restarts(operation: Callable[[], T]) -> T:
    """Run a Redis operation; while Redis refuses or drops connections (restarting), try again
    with growing pauses for up to REDIS_WAIT_SECONDS. redis-py's own retries do not cover a
    connection refused when the pool hands one out. After a restart Redis has lost its scripts;
    redis-py loads them again (NoScriptError). The pause blocks the server's event loop, but
    every conversation on it waits for Redis then anyway."""
    import redis

    deadline = time.monotonic() + REDIS_WAIT_SECONDS
    pause = 0.05
    while True:
        try:
            return operation()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


class AtomicRedisLockStore(RedisLockStore):
    """Ticket locks in Redis whose every change is one atomic Lua script."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Connect as Rasa's RedisLockStore does (host from the endpoint's `url`)."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        kwargs.pop("type", None)
        super().__init__(**kwargs)
        self._issue = self.red.register_script(ISSUE_TICKET)
        self._finish = self.red.register_script(FINISH_SERVING)
        self._remove_expired = self.red.register_script(REMOVE_EXPIRED)

    def _key(self, conversation_id: Text) -> Text:
        return self.key_prefix + conversation_id

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket for the conversation, appended in one step."""
        try:
            return int(_while_redis_restarts(lambda: self._issue(
                keys=[self._key(conversation_id)],
                args=[time.time(), KEY_GRACE_SECONDS, conversation_id, lock_lifetime])))
        except Exception as error:  # Rasa's callers expect LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        """Drop the conversation's expired tickets in one step."""
        _while_redis_restarts(lambda: self._remove_expired(
            keys=[self._key(conversation_id)],
            args=[time.time(), KEY_GRACE_SECONDS, conversation_id]))

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The conversation's lock as Rasa reads it (waiting while Redis restarts)."""
        return _while_redis_restarts(lambda: super(AtomicRedisLockStore, self).get_lock(
            conversation_id))

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove the ticket; the lock goes with its last ticket, in the same step."""
        _while_redis_restarts(lambda: self._finish(
            keys=[self._key(conversation_id)],
            args=[time.time(), KEY_GRACE_SECONDS, conversation_id, ticket_number]))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Finish serving; never deletes a ticket issued meanwhile (Rasa's version can)."""
        self.finish_serving(conversation_id, ticket_number)

    async def _acquire_lock(self, conversation_id: Text, ticket: int,
                            wait_time_in_seconds: float) -> Any:
        """Rasa's wait for the ticket's turn, checking every WAIT_SECONDS instead of every
        second (a patient's second message should not wait a second longer than needed)."""
        return await super()._acquire_lock(conversation_id, ticket,
                                           min(wait_time_in_seconds, WAIT_SECONDS))
