"""Rasa's structured log entries never carry a patient's words once the redaction is on."""

from __future__ import annotations

import logging

import structlog
from rasa.utils.log_utils import configure_structlog

from clinic_assistant.privacy import log_redaction


def test_patient_text_is_withheld_at_every_level_also_in_loggers_made_before(caplog):
    caplog.set_level(logging.DEBUG)
    configure_structlog(logging.DEBUG)
    early = structlog.get_logger("rasa.core.channels.rest")
    early.error("rest.message.received.failure", text="Sam Jones sam@example.org")
    assert "sam@example.org" in caplog.text  # Rasa alone logs it
    caplog.clear()

    log_redaction.install()
    log_redaction.install()  # once only
    assert structlog.get_config()["processors"].count(log_redaction.withhold_patient_text) == 1
    early.error("rest.message.received.failure", text="Sam Jones sam@example.org")
    structlog.get_logger("rasa.core.processor").debug(
        "processor.message.parse", parse_data_text="Sam Jones", parse_data_intent="inform",
        rasa_events=[{"event": "slot", "value": "sam@example.org"}])
    out = caplog.text
    assert "Sam" not in out and "sam@example.org" not in out
    assert out.count(log_redaction.WITHHELD) == 3
    assert "inform" in out  # what is not patient text stays readable
