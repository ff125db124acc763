"""Which websites an answer may cite, read from content/source_policy.yml.

Patients trust the sources under an answer, so only a few kinds of site may be listed: government
and public-health bodies, professional societies, peer-reviewed journals and hospital or
academic medical-centre patient pages. The policy is data that staff can read and extend: each
allowed site has a kind, the short publisher name patients see ("Sources: NHS, FDA") and a
one-line reason. This module only parses the file and matches addresses against it; the content
check (clinic_assistant/content_check.py) reports answers that cite anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Tuple
from urllib.parse import urlsplit

POLICY_FILE = "source_policy.yml"


class SourcePolicyError(ValueError):
    """The policy file is malformed; the message says which entry and what to do."""

    def __init__(self, entry: Optional[str], problem: str) -> None:
        super().__init__(problem)
        self.entry = entry
        self.problem = problem


@dataclass(frozen=True)
class AllowedSite:
    """One site (a host, its subdomains, optionally only under a path) that answers may cite."""

    site: str
    publisher: str
    kind: str
    reason: str

    @property
    def host(self) -> str:
        """The rule's host name (its site without a path)."""
        return self.site.split("/", 1)[0]

    @property
    def path(self) -> str:
        """The path prefix the rule is limited to ("" for the whole site)."""
        return "/" + self.site.split("/", 1)[1] if "/" in self.site else ""

    def matches(self, url: str) -> bool:
        """True if `url` is on this site (the host or a subdomain) and under its path."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        on_host = host == self.host or host.endswith("." + self.host)
        return on_host and (parts.path or "/").startswith(self.path)


@dataclass(frozen=True)
class SourcePolicy:
    """The kinds of source allowed and the sites of those kinds."""

    kinds: Mapping[str, str]
    sites: Tuple[AllowedSite, ...]

    def site_for(self, url: str) -> Optional[AllowedSite]:
        """The most specific allowed site `url` is on (longest rule first), or None."""
        matching = [site for site in self.sites if site.matches(url)]
        return max(matching, key=lambda site: len(site.site)) if matching else None


def _text(entry: str, raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SourcePolicyError(entry, f"field '{key}' is missing or empty. Write it as text.")
    return " ".join(value.split())


def parse_source_policy(data: Mapping[str, Any]) -> SourcePolicy:
    """The policy from the YAML mapping of content/source_policy.yml (SourcePolicyError if bad)."""
    kinds = data.get("kinds")
    if not isinstance(kinds, dict) or not kinds:
        raise SourcePolicyError("kinds", "needs the allowed kinds of source, each with a "
                                "one-line description (e.g. 'government: Government and "
                                "public-health bodies').")
    raw_sites = data.get("sites")
    if not isinstance(raw_sites, list) or not raw_sites:
        raise SourcePolicyError("sites", "needs a list of allowed sites, each with site, "
                                "publisher, kind and reason.")
    sites = []
    for index, raw in enumerate(raw_sites, start=1):
        entry = f"sites {index}"
        if not isinstance(raw, dict):
            raise SourcePolicyError(entry, "must have site, publisher, kind and reason.")
        site = _text(entry, raw, "site").lower()
        entry = f"sites {index} ({site})"
        if "://" in site or site.startswith("www.") or " " in site:
            raise SourcePolicyError(entry, "write the site without https:// or www., for "
                                    "example 'nhs.uk' or 'medscape.com/viewarticle/710269'.")
        kind = _text(entry, raw, "kind")
        if kind not in kinds:
            raise SourcePolicyError(entry, f"kind '{kind}' is not one of the allowed kinds "
                                    f"({', '.join(kinds)}).")
        sites.append(AllowedSite(site=site, publisher=_text(entry, raw, "publisher"), kind=kind,
                                 reason=_text(entry, raw, "reason")))
    return SourcePolicy(kinds={str(k): str(v) for k, v in kinds.items()}, sites=tuple(sites))
