"""The client's address: the socket peer, or X-Forwarded-For only behind a trusted proxy.

Anyone can send an X-Forwarded-For header, so it is read only when the connection comes from a
proxy listed in STAFF_TRUSTED_PROXIES; the address used is then the nearest one in the header
that is not itself a trusted proxy.
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


PROXIES = web.AppKey("trusted_proxies", tuple)
_ADDRESS = web.RequestKey("client_address", str)


def address_of(request: web.Request) -> str:
    """The request's client address under the app's proxy setting (worked out once)."""
    if _ADDRESS not in request:
        request[_ADDRESS] = client_address(request, request.app[PROXIES])[:64]
    return request[_ADDRESS]
