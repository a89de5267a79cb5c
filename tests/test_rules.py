"""Bans, banned and suspect words: what they decide about one comment, without an app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from service.moderation import BanKind, Decision, Status
from service.rules import (
    Author,
    address_hash,
    ban_matches,
    evaluate,
    find_words,
    normalize_ban_value,
    parse_words,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
PUBLISHED = Decision(Status.PUBLISHED, "published: below both hold thresholds")


@dataclass
class FakeBan:
    kind: BanKind
    value: str
    expires_at: datetime | None = None


AUTHOR = Author(
    email="Ana@Mail.Example.org",
    website="https://www.shop.example.net/buy",
    address_hash="abcdef0123456789",
)


@pytest.mark.parametrize(
    ("kind", "value", "matches"),
    [
        (BanKind.EMAIL, "ana@mail.example.org", True),
        (BanKind.EMAIL, "bob@mail.example.org", False),
        (BanKind.EMAIL_DOMAIN, "example.org", True),  # covers subdomains
        (BanKind.EMAIL_DOMAIN, "ample.org", False),  # but not a suffix that is not a label
        (BanKind.WEBSITE_DOMAIN, "shop.example.net", True),
        (BanKind.WEBSITE_DOMAIN, "example.org", False),
        (BanKind.ADDRESS_HASH, "abcdef0123456789", True),
        (BanKind.ADDRESS_HASH, "abcdef0123456788", False),
    ],
)
def test_each_kind_of_ban_matches_only_its_author(kind, value, matches):
    assert ban_matches(FakeBan(kind, value), AUTHOR, NOW) is matches


def test_an_expired_ban_no_longer_applies():
    ban = FakeBan(BanKind.EMAIL, "ana@mail.example.org", expires_at=NOW - timedelta(seconds=1))
    assert not ban_matches(ban, AUTHOR, NOW)
    ban.expires_at = NOW + timedelta(days=1)
    assert ban_matches(ban, AUTHOR, NOW)


def test_an_author_without_email_or_site_is_never_matched_by_those_bans():
    anonymous = Author()
    for kind, value in [
        (BanKind.EMAIL, "a@b.org"),
        (BanKind.EMAIL_DOMAIN, "b.org"),
        (BanKind.WEBSITE_DOMAIN, "b.org"),
        (BanKind.ADDRESS_HASH, "abcdef01"),
    ]:
        assert not ban_matches(FakeBan(kind, value), anonymous, NOW)


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        (BanKind.EMAIL, " Ana@Example.ORG ", "ana@example.org"),
        (BanKind.EMAIL_DOMAIN, "@Example.org", "example.org"),
        (BanKind.WEBSITE_DOMAIN, "https://Shop.Example.net/path", "shop.example.net"),
        (BanKind.ADDRESS_HASH, "ABCDEF0123", "abcdef0123"),
    ],
)
def test_ban_values_are_normalized(kind, raw, stored):
    assert normalize_ban_value(kind, raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (BanKind.EMAIL, "not-an-email"),
        (BanKind.EMAIL_DOMAIN, "localhost"),
        (BanKind.WEBSITE_DOMAIN, ""),
        (BanKind.ADDRESS_HASH, "xyz"),
    ],
)
def test_unusable_ban_values_are_refused(kind, raw):
    with pytest.raises(ValueError):
        normalize_ban_value(kind, raw)


def test_words_match_whole_words_ignoring_case():
    assert find_words("Buy CHEAP pills now", ["cheap pills", "pill"]) == ["cheap pills"]
    assert find_words("Scunthorpe is a town", ["thorp"]) == []
    assert find_words("¡Ofertón!", ["ofertón"]) == ["ofertón"]


def test_word_lists_are_parsed_from_lines_or_commas():
    words = parse_words("Casino, viagra\n\n  casino \nfree money")
    assert words == ["casino", "viagra", "free money"]


def test_a_ban_blocks_and_names_the_rule():
    ruling = evaluate(
        PUBLISHED, AUTHOR, "hello", [FakeBan(BanKind.EMAIL_DOMAIN, "example.org")], [], [], NOW
    )
    assert ruling.decision.status is Status.BLOCKED
    assert ruling.rule == "ban: email_domain example.org"


def test_banned_word_blocks_and_suspect_word_holds():
    blocked = evaluate(PUBLISHED, AUTHOR, "visit my casino", [], ["casino"], ["visit"], NOW)
    assert (blocked.decision.status, blocked.rule) == (Status.BLOCKED, "banned word: casino")
    held = evaluate(PUBLISHED, AUTHOR, "visit my blog", [], ["casino"], ["visit"], NOW)
    assert (held.decision.status, held.rule) == (Status.PENDING, "suspect word: visit")
    assert held.decision.reason == "held by a rule (suspect word: visit)"


def test_rules_never_make_a_decision_more_lenient():
    blocked = Decision(Status.BLOCKED, "blocked as spam (score 0.99 >= 0.95)")
    ruling = evaluate(blocked, AUTHOR, "visit", [], [], ["visit"], NOW)
    assert ruling == evaluate(blocked, AUTHOR, "nothing", [], [], [], NOW)
    assert ruling.decision is blocked and ruling.rule is None


def test_address_hash_is_keyed_stable_and_short():
    first = address_hash("203.0.113.7", "key-one")
    assert first == address_hash("203.0.113.7", "key-one")
    assert first != address_hash("203.0.113.7", "key-two")
    assert first != address_hash("203.0.113.8", "key-one")
    assert len(first) == 32 and "203" not in first
    assert address_hash(None, "key-one") is None
