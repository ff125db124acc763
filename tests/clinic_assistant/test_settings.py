"""The one settings object: what an environment gives, and what it never prints."""

from __future__ import annotations

import pytest

from clinic_assistant.settings import DEFAULT_HANDOFF_DB_URL, PROJECT_ROOT, read_settings


def test_make_runs_ports_files_token_and_origins_come_from_the_environment():
    settings = read_settings({
        "RASA_HOST": "0.0.0.0", "RASA_PORT": "6005", "ACTION_PORT": "6055", "DEMO_PORT": "9080",
        "STAFF_CONSOLE_PORT": "9090", "TRACKER_DB": "var/other.db",
        "HANDOFF_DB_URL": "postgresql://clinic:a-secret-password@127.0.0.1:5432/clinic",
        "RASA_AUTH_TOKEN": "a-token-for-tests",
        "CORS_ORIGINS": "https://clinic.example http://127.0.0.1:9080"})
    assert (settings.rasa_host, settings.rasa_port, settings.action_port, settings.demo_port,
            settings.staff_console_port) == ("0.0.0.0", 6005, 6055, 9080, 9090)
    assert settings.rasa_url == "http://0.0.0.0:6005"
    assert settings.tracker_db == PROJECT_ROOT / "var" / "other.db"
    assert settings.cors_origins == ("https://clinic.example", "http://127.0.0.1:9080")
    assert settings.rasa_auth_token == "a-token-for-tests"
    assert "a-token-for-tests" not in repr(settings)
    assert "a-secret-password" not in repr(settings)


def test_empty_values_mean_the_defaults_of_env_example():
    settings = read_settings({"RASA_PORT": "", "DEMO_PORT": " ", "CORS_ORIGINS": ""})
    assert (settings.rasa_host, settings.rasa_port, settings.action_port, settings.demo_port,
            settings.staff_console_port) == ("127.0.0.1", 5005, 5055, 8080, 8090)
    assert settings.handoff_db_url == DEFAULT_HANDOFF_DB_URL
    assert settings.cors_origins == ("http://localhost:8080",)
    assert settings.rasa_auth_token == ""


@pytest.mark.parametrize("value", ["80a", "0", "70000", "-1"])
def test_a_port_that_is_no_port_is_named_in_the_error(value):
    with pytest.raises(ValueError, match=f"DEMO_PORT={value!r} is not a port number"):
        read_settings({"DEMO_PORT": value})
