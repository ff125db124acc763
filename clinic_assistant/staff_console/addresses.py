"""The client's address and scheme: the socket's, or the trusted proxy's headers.

Anyone can send an X-Forwarded-For header, so it is read only when the connection comes from a
proxy listed in STAFF_TRUSTED_PROXIES; the address used is then the nearest one in the header
that is not itself a trusted proxy. Likewise X-Forwarded-Proto: behind nginx terminating TLS
the console itself speaks plain HTTP, and the sign-in's same-origin check must compare the
browser's `https://` origin with the scheme the browser used.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable, Optional, Tuple, Union

from aiohttp import web

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
UNKNOWN = "unknown"


def parse_networks(values: Iterable[str]) -> Tuple[Network, ...]:
    """Addresses or networks ("10.0.0.5", "10.0.0.0/8", "::1"); raises ValueError if bad."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False)
                 for value in values if value.strip())


def _address(text: str) -> Optional[Address]:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: Optional[Address], proxies: Tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(request: web.Request, proxies: Tuple[Network, ...]) -> str:
    """Who is on the other end: the peer, or the first untrusted hop behind trusted proxies."""
    peer = request.remote or UNKNOWN
    if not _trusted(_address(peer), proxies):
        return peer
    hops = [hop.strip() for header in request.headers.getall("X-Forwarded-For", [])
            for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # not written by a proxy of ours: do not follow it further
        if not _trusted(address, proxies):
            return str(address)
    return peer


def client_scheme(request: web.Request, proxies: Tuple[Network, ...]) -> str:
    """"http" or "https" as the browser used it: X-Forwarded-Proto from a trusted proxy, else
    the connection's own scheme."""
    if _trusted(_address(request.remote or ""), proxies):
        forwarded = request.headers.get("X-Forwarded-Proto", "").strip().lower()
        if forwarded in ("http", "https"):
            return forwarded
    return request.scheme


PROXIES = web.AppKey("trusted_proxies", tuple)
_ADDRESS = web.RequestKey("client_address", str)


def address_of(request: web.Request) -> str:
    """The request's client address under the app's proxy setting (worked out once)."""
    if _ADDRESS not in request:
        request[_ADDRESS] = client_address(request, request.app[PROXIES])[:64]
    return request[_ADDRESS]


def scheme_of(request: web.Request) -> str:
    """The request's scheme as the browser used it, under the app's proxy setting."""
    return client_scheme(request, request.app[PROXIES])
