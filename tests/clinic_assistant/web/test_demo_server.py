"""The demo page: clinic facts filled in and escaped, nothing third-party allowed."""

from __future__ import annotations

import hashlib

from clinic_assistant.web.demo_server import content_security_policy, render_demo_page


def test_demo_page_embeds_the_widget_with_the_clinic_facts(content):
    page = render_demo_page("http://127.0.0.1:5005").decode()
    assert 'src="/widget/clinic-chat.js"' in page
    assert 'data-server-url="http://127.0.0.1:5005"' in page
    assert f'data-phone="{content.clinic.phone}"' in page
    assert "{{" not in page


def test_values_are_escaped():
    page = render_demo_page('http://x"><script>alert(1)</script>').decode()
    assert "<script>alert(1)" not in page


def test_content_security_policy_allows_only_self_and_the_assistant():
    policy = content_security_policy("http://127.0.0.1:5005")
    assert "default-src 'self'" in policy
    assert "connect-src 'self' http://127.0.0.1:5005 ws://127.0.0.1:5005" in policy
    assert "script-src 'self'" in policy and "https:" not in policy


def test_widget_never_uses_html_parsing_sinks(project_root):
    source = (project_root / "web/widget/clinic-chat.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


def test_vendored_socket_io_client_matches_its_checksum(project_root):
    vendor = project_root / "web/widget/vendor"
    expected = (vendor / "socket.io.min.js.sha256").read_text().split()[0]
    assert hashlib.sha256((vendor / "socket.io.min.js").read_bytes()).hexdigest() == expected
    assert "MIT" in (vendor / "socket.io-client.LICENSE").read_text()
