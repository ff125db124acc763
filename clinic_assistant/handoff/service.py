"""The configured handoff store and rules, created on first use (one per process)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from clinic_assistant.content import get_content
from clinic_assistant.handoff.database import database_url
from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.rules import HandoffRules, load_handoff_rules
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.settings import get_settings

#: Buttons under the offer of a call-back: when nobody can chat, and when nobody came in time.
CALLBACK_OFFER_INTENTS = ("request_callback", "deny")


@lru_cache(maxsize=1)
def get_store() -> HandoffStore:
    """The store on HANDOFF_DB_URL (default: the project's SQLite file var/handoff.db)."""
    return HandoffStore.from_url(database_url())


@lru_cache(maxsize=1)
def get_rules() -> HandoffRules:
    """The rules in content/handoff.yml, in the clinic's time zone."""
    return load_handoff_rules(get_settings().content_dir, get_content().clinic.time_zone)


def staff_available(store: HandoffStore, rules: HandoffRules,
                    now: dt.datetime | None = None) -> bool:
    """Inside staff hours and at least one staff member signed in to the console."""
    now = now or utc_now()
    return rules.within_staff_hours(now) and store.staff_present(now, rules.presence_seconds)
