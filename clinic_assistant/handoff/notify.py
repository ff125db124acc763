"""Tell the clinic about a new request through a webhook (chat tool, pager, email bridge).

The notification carries no patient data: the kind of request, its id in the console, the
reason and a link to the console. Staff read the details after signing in.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Dict, Optional

import aiohttp

from clinic_assistant.handoff.records import HandoffStatus
from clinic_assistant.handoff.store import HandoffView

logger = logging.getLogger(__name__)

WEBHOOK_VARIABLE = "HANDOFF_WEBHOOK_URL"
CONSOLE_URL_VARIABLE = "STAFF_CONSOLE_URL"
TIMEOUT_SECONDS = 5.0


def notification(handoff: HandoffView, console_url: Optional[str]) -> Dict[str, Any]:
    """The webhook's JSON body for a new handoff or call-back request."""
    kind = "callback_requested" if handoff.status == HandoffStatus.CALLBACK else "patient_waiting"
    return {
        "event": kind,
        "handoff_id": handoff.id,
        "reason": handoff.reason,
        "created_at": handoff.created_at.isoformat() + "Z",
        "console_url": console_url,
        "text": ("New call-back request" if kind == "callback_requested"
                 else "A patient is waiting to chat") + " in the staff console.",
    }


async def notify_staff(handoff: HandoffView) -> bool:
    """POST the notification to HANDOFF_WEBHOOK_URL if set; True when it was accepted."""
    url = os.environ.get(WEBHOOK_VARIABLE)
    if not url:
        return False
    body = notification(handoff, os.environ.get(CONSOLE_URL_VARIABLE))
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(url, json=body,
                                    timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as reply:
                if reply.status < 300:
                    return True
                logger.warning("Staff notification webhook answered HTTP %s", reply.status)
    # asyncio.TimeoutError (aiohttp's timeout) is not the builtin TimeoutError before 3.11.
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
        logger.warning("Staff notification webhook failed: %s", type(error).__name__)
    return False
