"""With the action server down, patients still get a useful reply, not silence."""

from __future__ import annotations

import pytest

from clinic_assistant.stack.assistant import start_assistant

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def assistant_without_actions(project_root, tmp_path_factory):
    running = start_assistant(
        project_root, tmp_path_factory.mktemp("no-actions"), with_action_server=False
    )
    yield running
    running.stop()


@pytest.mark.parametrize("message", ["hello", "what is a herniated disc",
                                     "I suddenly can't feel my groin and can't pee",
                                     "I want to talk to a person"])
def test_patient_is_told_about_the_problem_with_phone_and_emergency_number(
    assistant_without_actions, content, message
):
    replies = assistant_without_actions.say("patient-down", message)
    said = [r.get("text") for r in replies]
    assert content.message("technical_problem") in said
    assert content.clinic.phone in content.message("technical_problem")
    assert content.clinic.emergency_number in content.message("technical_problem")
