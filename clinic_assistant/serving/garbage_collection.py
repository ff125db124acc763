"""Keep Python's cyclic garbage collector from pausing the Rasa server mid-conversation.

A loaded model is about 650,000 Python objects (TensorFlow, spaCy, Rasa's graph). Every full
collection walks all of them: 250 ms on this project's 2-core machine, during which the event
loop answers nobody, so under load a handful of patients wait a quarter of a second extra. Those
objects live as long as the server, so once the model is loaded they are moved to the permanent
generation (`gc.freeze`), which the collector skips; clinic_assistant/serving/startup.py does it
when the server has started. Objects created later are collected as usual; objects that become
unreachable are still freed by reference counting.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)


def freeze_loaded_objects() -> None:
    """Collect once, then exempt every object alive now from later collections."""
    gc.collect()
    gc.freeze()
    logger.debug("Froze %d objects out of garbage collection.", gc.get_freeze_count())

