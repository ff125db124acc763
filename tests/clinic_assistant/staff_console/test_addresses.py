"""Which address a sign-in comes from: the socket peer, or X-Forwarded-For behind trusted proxies."""

from __future__ import annotations

import dataclasses

import pytest

from clinic_assistant.staff_console.addresses import parse_networks
from clinic_assistant.staff_console.settings import ConsoleSettings
from tests.clinic_assistant.staff_console.conftest import StartConsole, rows, sign_in


@pytest.mark.parametrize("header, expected", [
    ("203.0.113.5", "203.0.113.5"),
    ("198.51.100.1, 203.0.113.5", "203.0.113.5"),          # the nearest hop the proxy saw
    ("203.0.113.5, 127.0.0.2", "203.0.113.5"),              # through two trusted proxies
    ("made-up, 203.0.113.5", "203.0.113.5"),
    ("203.0.113.5, made-up", "127.0.0.1"),                  # not written by our proxy
    ("2001:db8::7", "2001:db8::7"),
    ("", "127.0.0.1"),
])
async def test_the_address_behind_a_trusted_proxy_network(
        start_console: StartConsole, console_settings: ConsoleSettings, handoff_db_url: str,
        header: str, expected: str) -> None:
    client = await start_console(dataclasses.replace(console_settings,
                                                     trusted_proxies=("127.0.0.0/8",)))
    await sign_in(client, "nobody", "wrong", forwarded_for=header)
    assert rows(handoff_db_url, "SELECT address FROM audit_log") == [(expected,)]


def test_a_badly_written_proxy_setting_is_an_error() -> None:
    assert [str(n) for n in parse_networks(["10.0.0.5", " 10.1.0.0/16 ", "::1", ""])] == [
        "10.0.0.5/32", "10.1.0.0/16", "::1/128"]
    with pytest.raises(ValueError):
        parse_networks(["10.0.0.300"])


async def sign_in_from(client, origin: str, proto: str = "") -> int:
    """POST the login form with an Origin (and X-Forwarded-Proto) header; the status."""
    headers = {"Origin": origin, **({"X-Forwarded-Proto": proto} if proto else {})}
    reply = await client.post("/login", data={"username": "nobody", "password": "wrong"},
                              headers=headers, allow_redirects=False)
    return reply.status


async def test_the_sign_in_refuses_another_sites_origin_and_accepts_its_own(
        start_console: StartConsole, console_settings: ConsoleSettings) -> None:
    client = await start_console(console_settings)
    own = f"http://{client.host}:{client.port}"
    assert await sign_in_from(client, "https://evil.example") == 403
    assert await sign_in_from(client, own) == 303  # on to the password check: wrong password


async def test_behind_a_trusted_tls_proxy_the_https_origin_is_the_consoles_own(
        start_console: StartConsole, console_settings: ConsoleSettings) -> None:
    behind_nginx = await start_console(dataclasses.replace(console_settings,
                                                           trusted_proxies=("127.0.0.0/8",)))
    origin = f"https://{behind_nginx.host}:{behind_nginx.port}"
    assert await sign_in_from(behind_nginx, origin, proto="https") == 303
    assert await sign_in_from(behind_nginx, origin) == 403  # no header: the plain connection
    assert await sign_in_from(behind_nginx, f"http://{behind_nginx.host}:{behind_nginx.port}",
                              proto="https") == 403


async def test_x_forwarded_proto_from_an_untrusted_peer_is_ignored(
        start_console: StartConsole, console_settings: ConsoleSettings) -> None:
    direct = await start_console(console_settings)  # no trusted proxies
    assert await sign_in_from(direct, f"https://{direct.host}:{direct.port}", proto="https") == 403
