"""Everything the project changes in Rasa at start-up, in one place: `install_patches()`.

Rasa 3.6 offers no hook for these, so they are installed into the server process before Rasa's
command line runs, by the project's Rasa entry points (`python -m
clinic_assistant.serving.rasa_server`, which `clinic_assistant.stack.start_rasa` runs for make
run, the tests, the benchmarks and the cluster; and `python -m clinic_assistant.serving.startup
shell ...` for make shell). A plain `rasa run` has none of them.

- Action-server replies are validated with one compiled schema
  (`clinic_assistant.serving.action_responses`: 17 ms of CPU less per custom action).
- Patients' words are withheld from Rasa's structured logs
  (`clinic_assistant.privacy.log_redaction`). Rasa rebuilds structlog's chain after reading its
  command line, so this is installed when Rasa builds the server (`rasa.core.run.configure_app`),
  after the logs are configured and before the first message.
- Once the model is loaded, its objects are frozen out of the garbage collector
  (`clinic_assistant.serving.garbage_collection`: no 250 ms pauses mid-conversation).

When the server has started, one log line says which are in effect, read from the process's
state (`patches_in_effect`): `Start-up patches: action_reply_validation=on log_redaction=on
gc_freeze=on`. tests/e2e/test_startup.py reads it from a real server's log.
"""

from __future__ import annotations

import functools
import gc
import logging
import sys
from typing import Any, Callable, Dict, Optional, Sequence

import structlog
from rasa.core import run as rasa_run
from rasa.core.actions.action import RemoteAction

from clinic_assistant.privacy import log_redaction
from clinic_assistant.serving import action_responses
from clinic_assistant.serving.garbage_collection import freeze_loaded_objects

logger = logging.getLogger(__name__)

#: The line a started server logs, followed by each patch as name=on|off.
STATUS_PREFIX = "Start-up patches:"


def patches_in_effect() -> Dict[str, bool]:
    """Whether each patch is in effect in this process right now."""
    return {
        "action_reply_validation": (RemoteAction._validate_action_result
                                    is action_responses.validate_action_result),
        "log_redaction": (log_redaction.withhold_patient_text
                          in structlog.get_config()["processors"]),
        "gc_freeze": gc.get_freeze_count() > 0,
    }


def status_line(state: Dict[str, bool]) -> str:
    """`Start-up patches: name=on ...` for the log."""
    return " ".join([STATUS_PREFIX, *(f"{name}={'on' if on else 'off'}"
                                      for name, on in state.items())])


async def after_server_start(_app: Any, _loop: Any) -> None:
    """Freeze the loaded model's objects, then log which patches are in effect."""
    freeze_loaded_objects()
    state = patches_in_effect()
    (logger.info if all(state.values()) else logger.error)(status_line(state))


def _with_server_patches(configure_app: Callable[..., Any]) -> Callable[..., Any]:
    """Rasa's `configure_app`, followed by the patches that need the configured server."""

    @functools.wraps(configure_app)
    def configure_patched_app(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        log_redaction.install()
        app.listener(after_server_start, "after_server_start")
        return app

    configure_patched_app.installs_patches = True  # type: ignore[attr-defined]
    return configure_patched_app


def install_patches() -> None:
    """Install every patch into this process (once; calling again changes nothing)."""
    action_responses.install()
    if not getattr(rasa_run.configure_app, "installs_patches", False):
        rasa_run.configure_app = _with_server_patches(rasa_run.configure_app)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Rasa's command line (`shell ...`, `run ...`) with the patches installed."""
    install_patches()
    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
