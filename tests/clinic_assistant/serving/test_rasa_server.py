"""The Rasa launcher takes the API token from the environment or a file, never argv."""

from __future__ import annotations

import pytest

from clinic_assistant.serving.rasa_server import rasa_argv, read_token

TOKEN = "0123456789abcdef0123"


def test_the_token_comes_from_the_environment_or_a_file(tmp_path):
    assert read_token({"RASA_AUTH_TOKEN": TOKEN}) == TOKEN
    secret = tmp_path / "token"
    secret.write_text("fedcba9876543210fedc\n")
    env = {"RASA_AUTH_TOKEN_FILE": str(secret), "RASA_AUTH_TOKEN": TOKEN}
    assert read_token(env) == "fedcba9876543210fedc"  # the file wins


@pytest.mark.parametrize("env, words", [
    ({}, "set RASA_AUTH_TOKEN"),
    ({"RASA_AUTH_TOKEN": "short"}, "at least 16"),
    ({"RASA_AUTH_TOKEN_FILE": "/nonexistent/token"}, "cannot read RASA_AUTH_TOKEN_FILE"),
])
def test_no_usable_token_means_no_server(env, words):
    with pytest.raises(SystemExit, match=words):
        read_token(env)


def test_the_token_is_added_for_rasa_and_refused_on_the_command_line():
    assert rasa_argv(["--enable-api", "--port", "5005"], {"RASA_AUTH_TOKEN": TOKEN}) == [
        "rasa", "run", "--enable-api", "--port", "5005", "--auth-token", TOKEN]
    for args in (["--auth-token", TOKEN], [f"--auth-token={TOKEN}"]):
        with pytest.raises(SystemExit, match="do not pass --auth-token"):
            rasa_argv(args, {"RASA_AUTH_TOKEN": TOKEN})


def test_debug_logging_is_refused_unless_asked_for_explicitly():
    env = {"RASA_AUTH_TOKEN": TOKEN}
    for args, extra in ((["--debug"], {}), (["-vv"], {}), ([], {"LOG_LEVEL": "debug"})):
        with pytest.raises(SystemExit, match="patients' messages"):
            rasa_argv(args, {**env, **extra})
    assert rasa_argv(["--debug"], {**env, "ALLOW_PATIENT_TEXT_IN_LOGS": "yes"})[2] == "--debug"
    assert rasa_argv(["-v"], env)[2] == "-v"  # info level is fine
