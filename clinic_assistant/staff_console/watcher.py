"""Background checks: chats nobody claimed in time, and pauses that something ended.

A patient typing `/restart` or a session expiring ends Rasa's pause. The assistant's own
actions keep the pause in both cases; the watcher re-pauses any open handoff whose
conversation is not paused, as a second line of defence.
"""

from __future__ import annotations

import asyncio
import logging


from clinic_assistant.content import Content
from clinic_assistant.handoff.records import OPEN_STATUSES, utc_now
from clinic_assistant.handoff.rules import HandoffRules
from clinic_assistant.handoff.service import CALLBACK_OFFER_INTENTS
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.staff_console.rasa_api import (
    PAUSE_EVENTS,
    RESUME_EVENTS,
    RasaApiError,
    RasaClient,
    staff_event,
)

logger = logging.getLogger(__name__)


async def tell_unclaimed(store: HandoffStore, rules: HandoffRules, rasa: RasaClient,
                         content: Content) -> int:
    """Close chats waiting longer than the claim timeout; tell each patient, offer a call-back."""
    expired = await asyncio.to_thread(store.expire_unclaimed, utc_now(),
                                      rules.claim_timeout_seconds)
    text = content.message("handoff_unclaimed")
    for handoff in expired:
        events = [staff_event({"handoff": "ended"}, text=text,
                              buttons=content.buttons(CALLBACK_OFFER_INTENTS)), *RESUME_EVENTS]
        try:
            await rasa.append(handoff.conversation_id, events)
        except RasaApiError as error:
            logger.warning("Could not tell patient of handoff %s: %s", handoff.id, error)
    return len(expired)


def _still_open(store: HandoffStore, handoff_id: int) -> bool:
    current = store.get(handoff_id)
    return current is not None and current.status in OPEN_STATUSES


async def keep_paused(store: HandoffStore, rasa: RasaClient) -> int:
    """Pause open handoffs whose conversation is not paused; returns how many were fixed."""
    fixed = 0
    for handoff in await asyncio.to_thread(store.queue):
        if handoff.status not in OPEN_STATUSES:
            continue
        try:
            # Erased meanwhile (clinic_assistant/channels/privacy.py deletes the handoff first):
            # reading or pausing the conversation would start a new one under its id.
            if not await asyncio.to_thread(_still_open, store, handoff.id):
                continue
            tracker = await rasa.tracker(handoff.conversation_id)
            if not tracker.get("paused") and await asyncio.to_thread(_still_open, store,
                                                                      handoff.id):
                await rasa.append(handoff.conversation_id, PAUSE_EVENTS)
                fixed += 1
        except RasaApiError as error:
            logger.warning("Could not check the pause of handoff %s: %s", handoff.id, error)
    return fixed


async def watch(store: HandoffStore, rules: HandoffRules, rasa: RasaClient, content: Content,
                every_seconds: float) -> None:
    """Run both checks forever."""
    while True:
        try:
            await tell_unclaimed(store, rules, rasa, content)
            await keep_paused(store, rasa)
        except Exception:  # noqa: BLE001 - the watcher must survive a bad round
            logger.exception("Staff console watcher round failed")
        await asyncio.sleep(every_seconds)
