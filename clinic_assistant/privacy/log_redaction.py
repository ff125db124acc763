"""Keep patients' words out of Rasa's structured logs, at every log level.

Rasa 3.6 passes the values of its structured log entries that may hold what a patient wrote
(`text`, `parse_data_text`, `rasa_events`, `slot_candidates`, ...; the list is
`rasa.utils.log_utils.anonymizable_keys`) through an "anonymization pipeline" that a plugin
provides (the `get_anonymization_pipeline` hook). This module is that plugin: every such value
is replaced by a fixed marker before the entry is written, so neither `--debug` nor an error
entry such as `rest.message.received.failure` puts a message into var/log. Rasa's plain
(non-structured) debug messages are not covered: never run the server with `--debug` on real
conversations (docs/security.md).
"""

from __future__ import annotations

from typing import Any

import pluggy

WITHHELD = "[withheld: may contain patient text]"

hookimpl = pluggy.HookimplMarker("rasa")


class WithholdEverything:
    """An anonymization pipeline that withholds each value it is given."""

    def log_run(self, value: Any) -> str:
        """The marker instead of `value`."""
        return WITHHELD


class LogRedactionPlugin:
    """Rasa plugin: provides the withholding pipeline."""

    pipeline = WithholdEverything()

    @hookimpl
    def get_anonymization_pipeline(self) -> Any:
        """The pipeline Rasa's structlog processor runs on every anonymizable value."""
        return self.pipeline


PLUGIN = LogRedactionPlugin()


def install() -> None:
    """Register the plugin with Rasa's plugin manager (once per process)."""
    from rasa.plugin import plugin_manager

    manager = plugin_manager()
    if not manager.is_registered(PLUGIN):
        manager.register(PLUGIN)
