"""The cheap checks before the classifier, without an app."""

from __future__ import annotations

import time

import pytest

from service import guards

SECRET = "s3cret"
POST = "https://blog.example.org/p"


def refusal(call, *args, **kwargs) -> guards.Refusal:
    with pytest.raises(guards.Refusal) as info:
        call(*args, **kwargs)
    return info.value


def test_honeypot_passes_empty_and_refuses_anything_else():
    guards.check_honeypot("")
    guards.check_honeypot(None)
    assert refusal(guards.check_honeypot, "http://spam.example").code == "honeypot"


def check(token, *, now, site="default", post=POST, secret=SECRET):
    guards.check_form_token(token, secret, site, post, now=now, min_seconds=3, max_seconds=7200)


def test_form_token_accepts_between_min_and_max_age():
    token = guards.issue_form_token(SECRET, "default", POST)
    check(token, now=time.time() + 3.5)
    check(token, now=time.time() + 7000)


def test_form_token_too_fast_is_429_with_retry_after():
    token = guards.issue_form_token(SECRET, "default", POST)
    refused = refusal(check, token, now=time.time() + 1)
    assert (refused.status, refused.code) == (429, "too_fast")
    assert 1 <= refused.retry_after <= 3


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda t: None, "form_token_missing"),
        (lambda t: "", "form_token_missing"),
        (lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), "form_token_invalid"),
        (lambda t: guards.issue_form_token("other secret", "default", POST), "form_token_invalid"),
        (lambda t: guards.issue_form_token(SECRET, "default", POST + "/x"), "form_token_invalid"),
        (lambda t: guards.issue_form_token(SECRET, "other-site", POST), "form_token_invalid"),
        (lambda t: "not.a.token", "form_token_invalid"),
    ],
)
def test_missing_forged_or_foreign_tokens_are_refused(mutate, code):
    token = mutate(guards.issue_form_token(SECRET, "default", POST))
    refused = refusal(check, token, now=time.time() + 10)
    assert (refused.status, refused.code, refused.field) == (400, code, "form_token")


def test_expired_form_token_is_refused():
    token = guards.issue_form_token(SECRET, "default", POST)
    assert refusal(check, token, now=time.time() + 7300).code == "form_token_expired"


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("no links at all, just words. Fine.", 0),
        ("see https://a.example/x and http://b.example", 2),
        ("www.cheap-pills.example and cheap-pills.com and pills.ru/buy", 3),
        ("e.g. and i.e. are not links, nor is 3.14", 0),
        # A label has at most 63 characters, as in DNS (what keeps the pattern linear).
        ("x" * 63 + ".com and " + "y" * 64 + ".com", 1),
        ("a-" * 5000 + " www.one.example", 1),
    ],
)
def test_links_are_counted(body, links):
    assert guards.count_links(body) == links


def test_link_cap_refuses_above_the_limit_only():
    guards.check_links("a https://a.example b https://b.example", 2)
    three = "https://a.example https://b.example https://c.example"
    refused = refusal(guards.check_links, three, 2)
    assert (refused.status, refused.code, refused.field) == (422, "too_many_links", "body")


def test_duplicates_ignore_case_spacing_and_unicode_form():
    guards.check_duplicate("A new thought", ["An old thought"])
    refused = refusal(guards.check_duplicate, "Great  POST\n", ["great post", "other"])
    assert (refused.status, refused.code) == (409, "duplicate")
    assert refusal(guards.check_duplicate, "Cafe\u0301", ["café"]).code == "duplicate"
