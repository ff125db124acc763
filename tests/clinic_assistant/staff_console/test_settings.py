"""The console refuses to start without Rasa's API token and finds Rasa from the environment."""

from __future__ import annotations

import pytest

from clinic_assistant.staff_console.settings import console_settings_from_env


def test_no_token_no_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    with pytest.raises(SystemExit, match="RASA_AUTH_TOKEN"):
        console_settings_from_env()


def test_rasa_address_from_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_AUTH_TOKEN", "secret")
    monkeypatch.delenv("RASA_URL", raising=False)
    monkeypatch.setenv("RASA_HOST", "127.0.0.1")
    monkeypatch.setenv("RASA_PORT", "5999")
    monkeypatch.setenv("STAFF_COOKIE_SECURE", "true")
    settings = console_settings_from_env()
    assert settings.rasa_url == "http://127.0.0.1:5999"
    assert settings.rasa_token == "secret" and settings.secure_cookie is True


def test_no_proxy_is_trusted_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_AUTH_TOKEN", "secret")
    monkeypatch.delenv("STAFF_TRUSTED_PROXIES", raising=False)
    settings = console_settings_from_env()
    assert settings.trusted_proxies == ()
    assert (settings.idle_minutes, settings.session_hours) == (30.0, 12.0)
    assert settings.throttle.account_and_address.failures == 10
    assert settings.throttle.account_and_address.minutes == 15
    assert (settings.throttle.account.failures, settings.throttle.account.minutes) == (100, 60)
    monkeypatch.setenv("STAFF_TRUSTED_PROXIES", "127.0.0.1 10.0.0.0/8")
    assert console_settings_from_env().trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
