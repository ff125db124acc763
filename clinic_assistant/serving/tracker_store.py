"""Rasa's SQL tracker store, with recent conversations also kept in memory.

Rasa's `SQLTrackerStore` reads and deserialises every event of the current session for every
message, so each answer costs more than the one before: 13 ms of CPU per message by the 30th
message of a conversation on this project's 2-core machine (a fifth of the round trip). This
store keeps the deserialised events of the most recently used conversations and serves them
again after checking, with one indexed query, that the database holds nothing newer for that
conversation (another process, an API call that replaced the tracker ...). Anything unusual
(a new session, a tracker not built from the cached events) simply drops the cached copy, and the
next message reads the database as Rasa does. The database stays the only record: every event is
written to it before the message is answered.

For SQLite it also switches the database to write-ahead logging with `synchronous=NORMAL`
(commits no longer wait for the disk twice; after a power cut the last few messages may be lost,
never the file) and keeps a pool of open connections instead of opening the file for every read
and write. It patches nothing in Rasa: clinic_assistant/serving/startup.py does that.

Erasing a conversation (`erase`, called by clinic_assistant/channels/privacy.py under the
conversation's lock) deletes its events, drops the cached copy and remembers the time: a
tracker that some request still holds in memory can then never write the erased events back
(Rasa's `save` writes every event the database does not have, and after an erasure it has
none), only events that happened after the erasure.

Consent: when a call-back form ends without a saved request, the patient's answers are rewritten
in the stored events right after they are saved (`clinic_assistant.privacy.callback_erasure`
decides which). The rows are updated in place, so their number, which Rasa's `save` counts to
find the new events, does not change. SQLite connections use `secure_delete`, and the
write-ahead log is checkpointed and truncated after a rewrite, so the old text is not left in
free pages or in the -wal file.

Use it in endpoints.yml:

    tracker_store:
      type: clinic_assistant.serving.tracker_store.CachedSQLTrackerStore
      dialect: sqlite
      db: ${TRACKER_DB}
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import (
    Any, Awaitable, Callable, Iterator, List, Optional, Sequence, Text, Tuple, TypeVar)

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_assistant.content import get_content
from clinic_assistant.privacy import callback_erasure
from clinic_assistant.retention import tracker_events

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Conversations kept in memory (least recently used ones are dropped first).
DEFAULT_CACHE_SIZE = 200
#: Connections kept open to a SQLite file (reads and writes run on Rasa's event loop).
SQLITE_POOL_SIZE = 2
#: Erased conversations remembered (their erasure time), and for how long.
ERASED_MEMORY = 10_000
ERASED_SECONDS = 24 * 3600
#: How long a message waits for an unreachable conversation store before Rasa's fallback.
DATABASE_WAIT_SECONDS = 15.0
#: How long a save that erased call-back details waits for a busy write-ahead log.
SAVE_CHECKPOINT_WAIT_SECONDS = 0.5


@dataclass(frozen=True)
class CachedConversation:
    """The events Rasa's `retrieve` returns for a conversation, and where the database was."""

    events: List[Event]
    newest_id: Optional[int]
    session_start: Optional[float]


def roundtrip(events: List[Event]) -> List[Event]:
    """The events as a later read of the database would give them (JSON and back)."""
    return deserialise_events([json.loads(json.dumps(event.as_dict())) for event in events])


def tune_sqlite(engine: sa.engine.Engine) -> sa.engine.Engine:
    """A pooled engine on the same SQLite file, in WAL mode with `synchronous=NORMAL`."""
    tuned = sa.create_engine(
        engine.url,
        poolclass=QueuePool,
        pool_size=SQLITE_POOL_SIZE,
        connect_args={"check_same_thread": False},
    )

    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Overwrite deleted and rewritten content (erased call-back details) with zeros.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    sa.event.listen(tuned, "connect", on_connect)
    engine.dispose()
    return tuned


def with_pre_ping(engine: sa.engine.Engine) -> sa.engine.Engine:
    """The same database server and pool sizes, but each pooled connection is checked before
    use: after the database restarts, the next message gets a fresh connection instead of an
    error (Rasa's own engine has no pre-ping)."""
    pool = engine.pool
    sizes = ({"pool_size": pool.size(), "max_overflow": pool._max_overflow}
             if isinstance(pool, QueuePool) else {})
    tuned = sa.create_engine(engine.url, pool_pre_ping=True, **sizes)
    engine.dispose()
    return tuned


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that serves recent conversations from memory when they are current."""

    #: Set by `SQLTrackerStore.__init__` (Rasa ships no types) and replaced here.
    engine: sa.engine.Engine

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        """Connect like `SQLTrackerStore`; `cache_size` conversations are kept in memory."""
        super().__init__(*args, **kwargs)
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:":
            self.engine = tune_sqlite(self.engine)
            self.sessionmaker = sessionmaker(bind=self.engine)
        elif self.engine.dialect.name != "sqlite":
            self.engine = with_pre_ping(self.engine)
            self.sessionmaker = sessionmaker(bind=self.engine)
        self._cache: "OrderedDict[Text, CachedConversation]" = OrderedDict()
        self._cache_size = max(0, int(cache_size))
        self._erased: "OrderedDict[Text, float]" = OrderedDict()

    def erase(self, sender_ids: Sequence[Text], *, then_rebuild: bool = True) -> int:
        """Delete every event of these conversations and forget them; returns rows deleted.

        Call it while holding the conversations' locks (no message is being handled). The
        file is rebuilt afterwards unless the caller does it later (`then_rebuild=False`).
        """
        now = time.time()
        for sender_id in sender_ids:
            self._cache.pop(sender_id, None)
            self._erased[sender_id] = now
            self._erased.move_to_end(sender_id)
        while self._erased and (len(self._erased) > ERASED_MEMORY
                                or next(iter(self._erased.values())) < now - ERASED_SECONDS):
            self._erased.popitem(last=False)
        return tracker_events.delete_conversations(self.engine, sender_ids,
                                                   then_rebuild=then_rebuild)

    def erased_at(self, sender_id: Text) -> Optional[float]:
        """When this conversation was erased by this server (within the last day), if it was."""
        return self._erased.get(sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """Rasa's new events, but never events from before the conversation was erased."""
        erased_at = self._erased.get(tracker.sender_id)
        if erased_at is None:
            return super()._additional_events(session, tracker)
        fresh = [e for e in tracker.events if e.timestamp is not None and e.timestamp > erased_at]
        stored = self._event_query(session, tracker.sender_id,
                                   fetch_events_from_all_sessions=True).count()
        return iter(fresh[stored:])

    def _database_position(self, sender_id: Text) -> Tuple[Optional[int], Optional[float]]:
        """Id of the conversation's newest stored event and time of its latest session start."""
        with self.session_scope() as session:
            newest, session_start = session.query(
                sa.func.max(self.SQLEvent.id),
                sa.func.max(
                    sa.case(
                        (self.SQLEvent.type_name == SessionStarted.type_name,
                         self.SQLEvent.timestamp),
                        else_=None,
                    )
                ),
            ).filter(self.SQLEvent.sender_id == sender_id).one()
        return newest, session_start

    def _remember(self, sender_id: Text, conversation: CachedConversation) -> None:
        self._cache[sender_id] = conversation
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def _retrying(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run `operation`; while the database is unreachable (restarting, a failover), wait and
        try again for up to DATABASE_WAIT_SECONDS. Without this, Rasa answers the patient from
        a copy in memory and the turn is never stored."""
        deadline = time.monotonic() + DATABASE_WAIT_SECONDS
        pause = 0.25
        while True:
            try:
                return await operation()
            except sa.exc.DBAPIError as error:
                unreachable = (isinstance(error, sa.exc.OperationalError)
                               or error.connection_invalidated)
                if not unreachable or time.monotonic() + pause > deadline:
                    raise
                logger.warning("The conversation store is unreachable (%s); trying again.",
                               type(error.orig).__name__ if error.orig else type(error).__name__)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session of the conversation, from memory if the database has nothing newer
        (waiting for the database while it is unreachable)."""
        return await self._retrying(lambda: self._retrieve_latest_session(sender_id))

    async def _retrieve_latest_session(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        newest, session_start = self._database_position(sender_id)
        cached = self._cache.get(sender_id)
        if cached is not None and newest is not None and cached.newest_id == newest:
            self._cache.move_to_end(sender_id)
            return DialogueStateTracker.from_events(
                sender_id, list(cached.events), self.domain.slots
            )
        tracker = await super().retrieve(sender_id)
        if tracker is None:
            self._cache.pop(sender_id, None)
            return None
        # `newest` was read before the events: if something was added in between, the next
        # read sees a newer id and reads the database again.
        self._remember(sender_id, CachedConversation(list(tracker.events), newest, session_start))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events (waiting for the database while it is unreachable); keep them
        in memory when they extend the cached session."""
        await self._retrying(lambda: SQLTrackerStore.save(self, tracker))
        cached = self._cache.pop(tracker.sender_id, None)
        if self._erase_unconsented_details(tracker):
            return  # the cached events still hold the old text: read the database next time
        if cached is None:
            return
        events = list(tracker.events)
        known = len(cached.events)
        if len(events) < known or any(a is not b for a, b in zip(cached.events, events)):
            return  # not the cached conversation plus new events: read the database next time
        added = events[known:]
        if any(isinstance(event, SessionStarted) for event in added):
            return  # a new session: Rasa's query decides where it begins
        newest, session_start = self._database_position(tracker.sender_id)
        if session_start != cached.session_start:
            return
        added = roundtrip(added)
        if session_start is not None:
            # Rasa's query keeps only events at or after the latest session start.
            added = [e for e in added if e.timestamp is not None and e.timestamp >= session_start]
        self._remember(
            tracker.sender_id, CachedConversation(cached.events + added, newest, session_start)
        )

    def _erase_unconsented_details(self, tracker: DialogueStateTracker) -> bool:
        """Rewrite the answers of call-back forms that ended without consent; True if any.

        The conversation's events (all sessions) are read only when the tracker shows that the
        form was opened and something in it is still to erase.
        """
        if not callback_erasure.may_need_erasure(tracker.events):
            return False
        placeholder = get_content().message("callback_details_removed")
        in_memory = [event.as_dict() for event in tracker.events]
        if not callback_erasure.erasure_plan(in_memory, placeholder):
            return False
        try:
            with self.session_scope() as session:
                rows = (session.query(self.SQLEvent)
                        .filter(self.SQLEvent.sender_id == tracker.sender_id)
                        .order_by(self.SQLEvent.id).all())
                plan = callback_erasure.erasure_plan([json.loads(row.data) for row in rows],
                                                     placeholder)
                for index, event in plan.items():
                    rows[index].data = json.dumps(event)
                session.commit()
            if plan and self.engine.dialect.name == "sqlite":
                self._truncate_write_ahead_log()
        except sa.exc.SQLAlchemyError as error:
            # The type only (the message could quote the rows). The tracker still shows the
            # details, so the next save of this conversation tries again.
            logger.error("Could not erase call-back details without consent (%s); will retry.",
                         type(error).__name__)
        return True

    def _truncate_write_ahead_log(self) -> None:
        """Copy the rewritten pages into the database file and empty the -wal file."""
        # Inside a save, on the event loop: wait briefly; if a reader holds the log longer, the
        # next erasure's checkpoint finishes the job.
        tracker_events.checkpoint(self.engine, wait_seconds=SAVE_CHECKPOINT_WAIT_SECONDS)
