"""A real Rasa server started by the project's launcher has every start-up patch in effect
(clinic_assistant/serving/startup.py), read from its log line about its own state."""

from __future__ import annotations

import pytest

from clinic_assistant.serving.startup import STATUS_PREFIX, patches_in_effect, status_line

pytestmark = pytest.mark.e2e


def test_the_started_rasa_server_reports_every_patch_on(assistant):
    (rasa,) = [p for p in assistant.processes
               if "clinic_assistant.serving.rasa_server" in p.popen.args]
    lines = [line for line in rasa.log.read_text(errors="replace").splitlines()
             if STATUS_PREFIX in line]
    every_patch_on = status_line({name: True for name in patches_in_effect()})
    assert len(lines) == 1 and lines[0].endswith(every_patch_on), lines or rasa.log_tail()
