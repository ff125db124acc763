"""The source policy (content/source_policy.yml): which addresses are on an allowed site."""

from __future__ import annotations

import pytest

from clinic_assistant.source_policy import SourcePolicyError, parse_source_policy

KINDS = {"government": "Government and public-health bodies", "journal": "Peer-reviewed journals"}


def policy(*sites):
    return parse_source_policy({"kinds": KINDS, "sites": [
        {"site": site, "publisher": publisher, "kind": kind, "reason": "Why it is trusted."}
        for site, publisher, kind in sites
    ]})


@pytest.mark.parametrize("url, publisher", [
    ("https://www.nhs.uk/conditions/slipped-disc/", "NHS"),
    ("https://royalfree.nhs.uk/leaflets/cauda-equina", "NHS"),
    ("http://NHS.UK/x", "NHS"),
    ("https://www.medscape.com/viewarticle/710269_1", "Spine"),
])
def test_an_address_on_an_allowed_site_or_its_subdomain_is_allowed(url, publisher):
    rules = policy(("nhs.uk", "NHS", "government"),
                   ("medscape.com/viewarticle/710269", "Spine", "journal"))
    site = rules.site_for(url)
    assert site is not None and site.publisher == publisher


@pytest.mark.parametrize("url", [
    "https://evilnhs.uk/page",                      # only ends with the same letters
    "https://nhs.uk.travel-agency.example/offer",   # the allowed name inside another site
    "https://www.medscape.com/viewarticle/999999",  # the site, but not the allowed path
    "https://www.medscape.com/news/stem-cells",
    "https://regenexx.com/blog/disc-stem-cell-research/",
])
def test_anything_else_is_not_allowed(url):
    rules = policy(("nhs.uk", "NHS", "government"),
                   ("medscape.com/viewarticle/710269", "Spine", "journal"))
    assert rules.site_for(url) is None


def test_the_most_specific_rule_gives_the_publisher():
    rules = policy(("ncbi.nlm.nih.gov/books", "NCBI Bookshelf", "government"),
                   ("pmc.ncbi.nlm.nih.gov", "PubMed Central", "government"))
    assert rules.site_for("https://pmc.ncbi.nlm.nih.gov/articles/PMC1").publisher == "PubMed Central"
    assert rules.site_for("https://www.ncbi.nlm.nih.gov/books/NBK1/").publisher == "NCBI Bookshelf"
    assert rules.site_for("https://www.ncbi.nlm.nih.gov/pubmed/1") is None


@pytest.mark.parametrize("site, kind, problem", [
    ("vendor.example", "marketing", "kind 'marketing' is not one of the allowed kinds"),
    ("https://nhs.uk", "government", "without https:// or www."),
    ("www.nhs.uk", "government", "without https:// or www."),
])
def test_a_bad_site_entry_is_refused_with_what_to_do(site, kind, problem):
    with pytest.raises(SourcePolicyError, match=problem) as error:
        policy((site, "X", kind))
    assert error.value.entry.startswith("sites 1")


def test_a_site_needs_a_reason():
    with pytest.raises(SourcePolicyError, match="'reason' is missing"):
        parse_source_policy({"kinds": KINDS, "sites": [
            {"site": "nhs.uk", "publisher": "NHS", "kind": "government"}]})


def test_the_real_policy_covers_every_kind_it_names_and_every_answer_source(content):
    rules = content.source_policy
    assert set(rules.kinds) == {"government", "society", "journal", "hospital"}
    assert {site.kind for site in rules.sites} == set(rules.kinds)
    for intent, answer in content.answers.items():
        for source in answer.sources:
            assert rules.site_for(source.url) is not None, (intent, source.url)
