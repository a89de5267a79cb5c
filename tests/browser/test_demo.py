"""The widget on the demo post, driven in Chromium against the real app.

A civil comment may be published (201) or held (202) depending on the model, so tests accept
either, and approve held comments through the moderation code when they need them published.
Responses the app cannot be made to give on demand (429, network failure) are stubbed in the
browser with `page.route`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
expect = sync_api.expect
Page = sync_api.Page
Route = sync_api.Route

pytestmark = pytest.mark.browser

OUTCOME = re.compile(r"Comment published|awaiting moderation", re.IGNORECASE)
HOSTILE_NAME = "Mallory <img src=x onerror=alert(1)>"
HOSTILE_BODY = "Nice post <script>window.__pwned=1</script> <img src=x onerror=alert(1)>"


def open_demo(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/demo/")
    expect(page.locator(".moderato-form")).to_be_visible()
    expect(page.get_by_text("Loading comments…")).to_be_hidden()


def fill_and_post(page: Page, author: str, body: str) -> None:
    form = page.locator(".moderato-form")
    form.get_by_label("Name (required)", exact=True).fill(author)
    form.get_by_label("Comment (required)", exact=True).fill(body)
    form.get_by_role("button", name="Post comment").click()


def comment(page: Page, text: str) -> Any:
    """The comment whose own body (not a reply's) contains `text`."""
    return page.locator(".moderato-comment").filter(
        has=page.locator(":scope > article .moderato-body", has_text=text)
    )


def stub_api(page: Page, method: str, status: int, payload: dict[str, Any] | None = None) -> None:
    """Answer the widget's `method` requests to the comments API in the browser."""

    def handle(route: Route) -> None:
        if route.request.method != method:
            route.fallback()
        elif payload is None:
            route.abort("connectionrefused")
        else:
            route.fulfill(status=status, json=payload)

    page.route(lambda url: "/api/v1/comments" in url, handle)


def test_demo_post_embeds_the_widget_like_a_blog(
    page: Page, live_server: str, screenshot: Callable[..., None]
) -> None:
    open_demo(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Should the tram cross the old bridge?"
    )
    # One script tag on the page; the widget adds only its language's strings.
    expect(page.locator("body script")).to_have_count(1)
    expect(page.locator("#moderato-thread")).to_have_count(1)
    expect(page.get_by_role("heading", name="Comments", exact=True)).to_be_visible()
    expect(page.get_by_text("No comments yet")).to_be_visible()
    # The stylesheet came from the widget's own origin and applies.
    expect(page.locator("link[rel=stylesheet][href$='/embed.css']")).to_have_count(1)
    padding = page.locator(".moderato").evaluate("el => getComputedStyle(el).paddingTop")
    assert padding == "24px"

    for path, content_type in (("/embed.js", "text/javascript"), ("/embed.css", "text/css")):
        response = page.request.get(live_server + path)
        assert response.ok
        assert response.headers["content-type"].startswith(content_type)
        assert "max-age=3600" in response.headers["cache-control"]
    screenshot(page, "demo-empty", full_page=True)


def test_civil_comment_shows_published_or_awaiting_moderation(
    page: Page, live_server: str, screenshot: Callable[..., None]
) -> None:
    open_demo(page, live_server)
    body = "I take the 4 every day. Eleven minutes to the hospital would change my week."

    fill_and_post(page, "Ana Ribeiro", body)

    posted = comment(page, body)
    expect(posted).to_be_visible()
    expect(posted.locator(".moderato-author")).to_have_text("Ana Ribeiro")
    expect(page.get_by_role("status")).to_have_text(OUTCOME)
    if "moderato-comment--pending" in (posted.get_attribute("class") or ""):
        expect(posted.get_by_text("Awaiting moderation")).to_be_visible()
    # The body is cleared for the next comment, the name is kept.
    expect(page.get_by_label("Comment (required)", exact=True)).to_have_value("")
    expect(page.get_by_label("Name (required)", exact=True)).to_have_value("Ana Ribeiro")
    screenshot(page, "demo-posted")


def test_markup_in_a_comment_never_runs(
    page: Page, live_server: str, approve_held: Callable[[], int], screenshot: Callable[..., None]
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def shows_markup_as_text() -> Any:
        shown = comment(page, "Nice post")
        expect(shown).to_be_visible()
        expect(shown.locator(".moderato-author")).to_have_text(HOSTILE_NAME)
        expect(shown.locator("img, script")).to_have_count(0)
        return shown

    open_demo(page, live_server)
    fill_and_post(page, HOSTILE_NAME, HOSTILE_BODY)
    shows_markup_as_text()  # as just posted, built in the browser
    page.reload()
    open_demo(page, live_server)
    shows_markup_as_text()  # from the server, or from this device's memory of held comments
    approve_held()
    page.reload()
    open_demo(page, live_server)
    expect(shows_markup_as_text()).not_to_have_class(re.compile("pending"))  # server-rendered
    screenshot(page, "demo-hostile")

    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_reply_is_nested_under_its_parent(
    page: Page, live_server: str, approve_held: Callable[[], int], screenshot: Callable[..., None]
) -> None:
    open_demo(page, live_server)
    fill_and_post(page, "Jonas", "The traders on Bridge Street need this stop.")
    expect(page.get_by_role("status")).to_have_text(OUTCOME)
    approve_held()
    page.reload()
    open_demo(page, live_server)

    parent = comment(page, "Bridge Street")
    parent.get_by_role("button", name="Reply to Jonas").click()
    expect(page.get_by_role("heading", name="Reply to Jonas")).to_be_visible()
    expect(parent.locator(".moderato-form")).to_be_visible()
    fill_and_post(
        page, "Ines", "Then build the downstream bridge and keep the old one for walking."
    )

    reply = parent.locator(".moderato-replies > .moderato-comment")
    expect(reply).to_contain_text("downstream bridge")
    expect(reply.locator(".moderato-author")).to_have_text("Ines")
    # The form went back to the top once the reply was sent.
    expect(parent.locator(".moderato-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="Leave a comment")).to_be_visible()

    approve_held()
    page.reload()
    open_demo(page, live_server)
    expect(
        comment(page, "Bridge Street").locator(".moderato-replies > .moderato-comment")
    ).to_contain_text("downstream bridge")
    screenshot(page, "demo-reply")


def test_empty_body_shows_an_error_and_keeps_the_name(
    page: Page, live_server: str, screenshot: Callable[..., None]
) -> None:
    open_demo(page, live_server)
    fill_and_post(page, "Ana", "   ")

    body = page.get_by_label("Comment (required)", exact=True)
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_have_accessible_description(re.compile("Please fill in this field"))
    expect(body).to_be_focused()
    expect(page.get_by_label("Name (required)", exact=True)).to_have_value("Ana")
    expect(page.get_by_role("status")).to_have_text("Please fill in this field.")
    screenshot(page, "demo-empty-body")

    # Fixing the field clears the error on the next attempt.
    fill_and_post(page, "Ana", "Now with words.")
    expect(body).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("status")).to_have_text(OUTCOME)


def test_server_field_errors_show_next_to_their_fields(page: Page, live_server: str) -> None:
    stub_api(
        page,
        "POST",
        422,
        {
            "error": "invalid_field",
            "message": "author: must be at most 80 characters",
            "field": "author",
            "errors": [
                {"field": "author", "message": "must be at most 80 characters"},
                {"field": "url", "message": "must be an absolute http:// or https:// URL"},
                {"field": "title", "message": "too long"},
            ],
        },
    )
    open_demo(page, live_server)
    page.get_by_label("Website").fill("ftp://example.org")
    fill_and_post(page, "A" * 90, "Keep this text.")

    name = page.get_by_label("Name (required)", exact=True)
    website = page.get_by_label("Website")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("Must be at most 80 characters")
    expect(name).to_be_focused()
    expect(website).to_have_accessible_description(re.compile("Must be an absolute http"))
    # A field the reader cannot see is named in the form's own message.
    expect(page.get_by_text("title: too long")).to_be_visible()
    expect(page.get_by_label("Comment (required)", exact=True)).to_have_value("Keep this text.")
    expect(page.get_by_role("status")).to_have_text("Must be at most 80 characters")


def test_rate_limit_and_network_failure_keep_the_text(
    page: Page, live_server: str, screenshot: Callable[..., None]
) -> None:
    open_demo(page, live_server)
    stub_api(page, "POST", 429, {"error": "rate_limited", "message": "429 Too Many Requests"})
    fill_and_post(page, "Ana", "Posting quickly.")
    expect(page.locator("#moderato-form-error")).to_contain_text("You are posting too fast")

    page.unroute_all()
    stub_api(page, "POST", 0)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#moderato-form-error")).to_contain_text(
        "Could not reach the comment server"
    )
    expect(page.get_by_role("status")).to_have_text(re.compile("Could not reach"))
    expect(page.get_by_label("Comment (required)", exact=True)).to_have_value("Posting quickly.")
    expect(page.get_by_role("button", name="Post comment")).to_be_enabled()
    screenshot(page, "demo-network-error")


def test_held_comment_stays_on_this_device_until_listed(page: Page, live_server: str) -> None:
    stub_api(page, "POST", 202, {"id": 4242, "status": "pending"})
    open_demo(page, live_server)
    fill_and_post(page, "Ana", "Held for a moderator.")
    expect(page.get_by_role("status")).to_have_text(re.compile("awaiting moderation"))

    page.reload()
    open_demo(page, live_server)
    held = comment(page, "Held for a moderator.")
    expect(held.get_by_text("Awaiting moderation")).to_be_visible()
    expect(held.get_by_role("button", name=re.compile("Reply"))).to_have_count(0)

    # Once the server lists it, it shows as published and the device forgets it.
    stub_api(
        page,
        "GET",
        200,
        {
            "post": "x",
            "total": 1,
            "comments": [
                {
                    "id": 4242,
                    "parent": None,
                    "author": "Ana",
                    "url": None,
                    "html": "<p>Held for a moderator.</p>",
                    "created": "2026-11-27T10:00:00+00:00",
                    "status": "published",
                }
            ],
        },
    )
    page.reload()
    open_demo(page, live_server)
    expect(comment(page, "Held for a moderator.").get_by_text("Awaiting moderation")).to_have_count(
        0
    )
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('moderato:'))") == []


def test_thread_rendering_and_keyboard_reply(
    page: Page, live_server: str, screenshot: Callable[..., None]
) -> None:
    stub_api(
        page,
        "GET",
        200,
        {
            "post": "x",
            "total": 3,
            "comments": [
                {
                    "id": 1,
                    "parent": None,
                    "author": "Ana",
                    "url": "https://ana.example/",
                    "html": "<p>First.</p>",
                    "created": "2026-11-20T09:30:00+00:00",
                    "status": "published",
                },
                {
                    "id": 2,
                    "parent": 1,
                    "author": "Bo",
                    "url": "javascript:alert(1)",
                    "html": "<p>Second, a reply.</p>",
                    "created": "2026-11-21T10:00:00+00:00",
                    "status": "published",
                },
                {
                    "id": 3,
                    "parent": None,
                    "author": "Cy",
                    "url": None,
                    "html": "<p>Third.</p>",
                    "created": "2026-11-22T10:00:00+00:00",
                    "status": "published",
                },
            ],
        },
    )
    open_demo(page, live_server)

    expect(page.get_by_role("heading", name="3 comments")).to_be_visible()
    ana = page.locator("#moderato-comment-1")
    link = ana.get_by_role("link", name="Ana")
    expect(link).to_have_attribute("href", "https://ana.example/")
    expect(link).to_have_attribute("rel", "nofollow ugc noopener")
    expect(ana.locator("time").first).to_have_attribute("datetime", "2026-11-20T09:30:00+00:00")
    expect(ana.locator("time").first).to_have_attribute("title", re.compile("2026"))
    expect(ana.locator(".moderato-replies #moderato-comment-2")).to_be_visible()
    # An author website that is not http(s) is not linked.
    expect(page.locator("#moderato-comment-2").get_by_role("link", name="Bo")).to_have_count(0)

    reply = page.get_by_role("button", name="Reply to Bo")
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name (required)", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(reply).to_be_focused()
    expect(page.get_by_role("heading", name="Leave a comment")).to_be_visible()
    screenshot(page, "demo-thread")


def test_strings_follow_the_page_language(page: Page, live_server: str) -> None:
    def spanish(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('lang="en"', 'lang="es"', 1))

    page.route(f"{live_server}/demo/", spanish)
    page.goto(f"{live_server}/demo/")
    expect(page.get_by_role("heading", name="Comentarios", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Publicar comentario")).to_be_visible()
    expect(page.get_by_label("Nombre (obligatorio)", exact=True)).to_be_visible()


def test_dark_theme_narrow_screen_and_reduced_motion(
    page: Page, live_server: str, screenshot: Callable[..., None]
) -> None:
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    page.set_viewport_size({"width": 375, "height": 800})
    stub_api(
        page,
        "POST",
        201,
        {
            "id": 7,
            "parent": None,
            "author": "Ana",
            "url": None,
            "html": "<p>From the night bus.</p>",
            "created": "2026-11-27T10:00:00+00:00",
            "status": "published",
        },
    )
    open_demo(page, live_server)

    widget = page.locator(".moderato")
    assert widget.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(27, 29, 33)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    fill_and_post(page, "Ana", "From the night bus.")
    posted = comment(page, "From the night bus.")
    expect(posted).to_be_visible()
    assert posted.locator("article").evaluate("el => getComputedStyle(el).animationName") == "none"
    screenshot(page, "demo-dark-narrow")
