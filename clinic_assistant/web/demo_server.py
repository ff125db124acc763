"""Serve the chat widget and a demo clinic page that embeds it, on localhost.

Run: python -m clinic_assistant.web.demo_server --port 8080 --server-url http://127.0.0.1:5005
The page's details (name, phone, address, hours) come from content/clinic.yml. A strict
Content-Security-Policy proves that nothing is loaded from third parties.
"""

from __future__ import annotations

import argparse
import html
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Optional
from urllib.parse import urlsplit

from clinic_assistant.content import get_content
from clinic_assistant.settings import PROJECT_ROOT

WEB_ROOT = PROJECT_ROOT / "web"
DEMO_PAGE = WEB_ROOT / "demo" / "index.html"


def render_demo_page(server_url: str) -> bytes:
    """The demo page with the clinic's facts and the assistant's URL filled in (escaped)."""
    clinic = get_content().clinic
    values: Dict[str, str] = {**clinic.placeholders(), "server_url": server_url}
    page = DEMO_PAGE.read_text(encoding="utf-8")
    for name, value in values.items():
        page = page.replace("{{" + name + "}}", html.escape(value, quote=True))
    return page.encode("utf-8")


def content_security_policy(server_url: str) -> str:
    """Only this page's own origin, plus the assistant's socket, may be contacted."""
    parts = urlsplit(server_url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    assistant = f"{parts.scheme}://{parts.netloc} {socket_scheme}://{parts.netloc}"
    return (f"default-src 'self'; connect-src 'self' {assistant}; img-src 'self'; "
            "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'")


class DemoHandler(SimpleHTTPRequestHandler):
    """Static files from web/, the demo page at /, and no request logging of patient data."""

    server_url = ""
    #: Answer even an unreadable request line with a status line (http.server's default,
    #: HTTP/0.9, sends the error page without one).
    default_request_version = "HTTP/1.0"

    def send_error(self, code: int, message: Optional[str] = None,
                   explain: Optional[str] = None) -> None:
        """http.server's error page; an unsupported HTTP version is the client's mistake (400,
        not 505): nothing malformed gets a 5xx."""
        if code == HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:
            code, message = HTTPStatus.BAD_REQUEST, "Unsupported HTTP version"
        super().send_error(code, message, explain)

    def do_GET(self) -> None:  # noqa: N802 - name required by http.server
        """Serve the demo page, the widget's files and the server URL they use."""
        if urlsplit(self.path).path in ("/", "/index.html"):
            body = render_demo_page(self.server_url)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def refuse_method(self) -> None:
        """405 (not http.server's 501) for anything but GET and HEAD: the page only serves files."""
        self.close_connection = True  # an unread request body must not become a request
        body = b"This server only serves the demo page and the widget's files (GET).\n"
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse_method  # noqa: N815

    def end_headers(self) -> None:
        """Add the security headers to every response."""
        self.send_header("Content-Security-Policy", content_security_policy(self.server_url))
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the demo server logs nothing."""


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--server-url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    handler = type("Handler", (DemoHandler,), {"server_url": args.server_url})
    server = ThreadingHTTPServer((args.host, args.port), partial(handler, directory=str(WEB_ROOT)))
    print(f"demo page: http://{args.host}:{args.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
