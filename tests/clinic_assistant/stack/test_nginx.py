"""What the cluster's nginx (deploy/nginx/cluster.conf.template) sends to the servers behind it.

A real nginx with the rendered template, every upstream pointed at one recording server on
loopback, requests from their own loopback address: each location must pass on the client's
own address and scheme (the Rasa servers' per-address chat limits and the consoles' sign-in
throttling and same-origin check read them), never a forged one.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, List

import pytest

from clinic_assistant.stack.nginx import NginxPorts, render, start_nginx
from clinic_assistant.stack.processes import free_port, wait_until_up

pytestmark = pytest.mark.e2e

CLIENT = "127.0.0.7"
FORGED = "203.0.113.66"


class Recorder(BaseHTTPRequestHandler):
    """Answers 200 to anything and keeps each request's path and headers."""

    seen: List[Dict[str, str]] = []

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = _record

    def log_message(self, *args: object) -> None:  # no request lines on the test's output
        return


@pytest.fixture(scope="module")
def nginx(tmp_path_factory) -> Iterator[NginxPorts]:
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = upstream.server_address[1]
    ports = NginxPorts(public=free_port(), staff=free_port(), internal=free_port(),
                       rasa=[port], actions=[port], console=[port], demo=port)
    folder = tmp_path_factory.mktemp("nginx")
    process = start_nginx(folder, render(ports, folder, chat_per_minute=600, chat_burst=50))
    try:
        wait_until_up(f"http://127.0.0.1:{ports.public}/", process, seconds=20)
        yield ports
    finally:
        process.stop()
        upstream.shutdown()


def forwarded(port: int, method: str, path: str, headers: Dict[str, str] | None = None,
              body: bytes = b"") -> Dict[str, str]:
    """Send one request from CLIENT through nginx; the headers the upstream received."""
    Recorder.seen.clear()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                            source_address=(CLIENT, 0))
    connection.request(method, path, body=body or None,
                       headers={"X-Forwarded-For": FORGED, "X-Forwarded-Proto": "https",
                                "Connection": "keep-alive",
                                **(headers or {})})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200, (path, response.status)
    (request,) = Recorder.seen
    assert request["path"].split("?")[0] == path.split("?")[0]
    return request


@pytest.mark.parametrize("server, method, path", [
    ("public", "POST", "/webhooks/rest/webhook"),
    ("public", "POST", "/webhooks/privacy/erase-own"),
    ("public", "GET", "/socket.io/?EIO=4&transport=websocket"),
    ("public", "GET", "/widget.js"),
    ("staff", "POST", "/login"),
    ("internal", "POST", "/webhook"),
    ("internal", "GET", "/status"),
])
def test_every_location_passes_on_the_clients_own_address_and_scheme(nginx, server, method,
                                                                     path):
    headers = {"Content-Type": "application/json"}
    if "socket.io" in path:
        headers.update({"Upgrade": "websocket", "Connection": "Upgrade",
                        "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZQ=="})
    request = forwarded(getattr(nginx, server), method, path, headers,
                        body=b'{"sender": "n", "message": "hi"}' if method == "POST" else b"")
    assert request["x-forwarded-for"] == CLIENT  # the peer nginx saw, not the forged header
    assert request["x-forwarded-proto"] == "http"  # nginx's own scheme, not the client's word
    if server != "staff":
        assert request["host"] == "127.0.0.1"  # the Host the client asked for, without its port
    if "socket.io" in path:
        assert request["connection"].lower() == "upgrade" and request["upgrade"] == "websocket"
    else:
        assert "connection" not in request or request["connection"].lower() == "close"


def test_the_console_gets_the_host_with_its_port_for_its_same_origin_check(nginx):
    request = forwarded(nginx.staff, "GET", "/")
    assert request["host"] == f"127.0.0.1:{nginx.staff}"
