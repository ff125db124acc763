"""The message keys the code asks for are found by reading it, by every route a key takes."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap

import yaml

from clinic_assistant.content_check import check_messages, domain_intents, required_messages
from clinic_assistant.message_keys import keys_used, message_key_uses


def write(root, name: str, code: str) -> None:
    path = root / "actions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code))


def test_every_route_a_key_takes_to_a_message_call(tmp_path):
    write(tmp_path, "a.py", '''
        QUESTIONS = {"name": "ask_name", "email": "ask_email"}
        SCREENS = ("screen_one",)
        def direct(content):
            return content.message("direct_key")
        def indexed(content, slot):
            return content.message(QUESTIONS[slot])
        def looked_up(content, reason):
            key = SCREENS[0] if reason else "fallback_key"
            return content.message(key)
        def _say(dispatcher, key, **values):
            dispatcher.utter_message(text=content.message(key, **values))
        def caller(dispatcher):
            _say(dispatcher, "passed_on")
            return Checked(problem="a_problem")
        def sentence(content):
            return Checked(problem="Please type something.")  # not a key
        ''')
    write(tmp_path, "b.py", '''
        from dataclasses import dataclass
        @dataclass
        class Problem:
            status: int
            detail: str
            message_key: str = "default_problem"
        def check():
            return Problem(413, "too big", "too_large")
        ''')
    assert keys_used(tmp_path) == {
        "direct_key", "ask_name", "ask_email", "screen_one", "fallback_key", "passed_on",
        "a_problem", "default_problem", "too_large"}
    uses = {use.key: use for use in message_key_uses(tmp_path)}
    assert (uses["too_large"].file, uses["too_large"].line) == ("actions/b.py", 9)


def test_the_project_code_asks_for_exactly_the_messages_staff_keep(project_root):
    messages = yaml.safe_load((project_root / "content" / "messages.yml").read_text())
    # Indirect routes are found too: a helper's parameter, a dataclass's positional field.
    assert {"callback_saved", "message_too_large", "callback_name_missing",
            "handoff_unavailable"} <= keys_used(project_root)
    assert keys_used(project_root) == set(messages["messages"])


def test_deleting_any_key_the_code_uses_fails_naming_key_and_use(content, project_root):
    intents = domain_intents(project_root / "domain.yml")
    required = required_messages()
    for key, where in required.items():
        messages = {k: v for k, v in content.messages.items() if k != key}
        problems = check_messages(dataclasses.replace(content, messages=messages), intents,
                                  {key: where})
        assert [p.entry for p in problems if p.severity == "error"] == [f"messages.{key}"]
        assert where in problems[0].message


def test_make_validate_fails_when_a_needed_message_is_deleted(project_copy, project_root):
    path = project_copy / "content" / "messages.yml"
    data = yaml.safe_load(path.read_text())
    del data["messages"]["callback_saved"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    done = subprocess.run([sys.executable, "-m", "clinic_assistant.content_check", "--root",
                           str(project_copy)], capture_output=True, text=True, cwd=project_root)
    assert done.returncode == 1
    assert "messages.callback_saved" in done.stdout and "actions/callback.py:" in done.stdout
