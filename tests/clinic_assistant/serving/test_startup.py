"""install_patches(): every change the project makes in Rasa, installed by one call."""

from __future__ import annotations

import structlog
from rasa.core import run as rasa_run
from rasa.core.actions.action import RemoteAction
from rasa.utils.log_utils import configure_structlog

from clinic_assistant.privacy import log_redaction
from clinic_assistant.serving import action_responses, startup


def test_a_server_built_after_install_patches_has_every_patch_but_the_freeze_until_it_starts():
    """The freeze waits for the started server (the model is loaded by then)."""
    startup.install_patches()
    assert RemoteAction._validate_action_result is action_responses.validate_action_result
    configure_structlog()  # as Rasa's command line does, after install_patches()
    assert log_redaction.withhold_patient_text not in structlog.get_config()["processors"]
    app = rasa_run.configure_app(input_channels=None, enable_api=False,
                                 conversation_id="startup-test")
    state = startup.patches_in_effect()
    assert state["action_reply_validation"] and state["log_redaction"]
    listeners = [future.listener for future in app._future_listeners
                 if future.event == "after_server_start"]
    assert startup.after_server_start in listeners


def test_installing_twice_wraps_rasa_once():
    startup.install_patches()
    wrapped = rasa_run.configure_app
    startup.install_patches()
    assert rasa_run.configure_app is wrapped


def test_the_status_line_names_each_patch():
    line = startup.status_line({"action_reply_validation": True, "log_redaction": True,
                                "gc_freeze": False})
    assert line == ("Start-up patches: action_reply_validation=on log_redaction=on "
                    "gc_freeze=off")
