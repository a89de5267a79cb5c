"""The widget on a blog of its own origin, talking to the service on another, as readers use it.

The demo post is served on one port (the blog) and loads the widget from another (the
service): every API call is a real cross-origin request, preflights included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from support import HOLD_ALL, PUBLISH_ALL

from service.extensions import db
from service.models import Comment, Site
from service.moderation import Status

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
expect = sync_api.expect
Page = sync_api.Page

pytestmark = pytest.mark.browser

PAYLOADS = [
    line.replace("\\n", "\n")
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().split("\n")
    if line.strip() and not line.startswith("# ")
]
URL_PAYLOADS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'https://x.example/"onmouseover="alert(1)',
    "https://x.example/'><script>alert(1)</script>",
    "https://x.example/?q=<img/src=x/onerror=alert(1)>",
    'http://x.example#"autofocus/onfocus="alert(1)',
]


def stored(app: Flask, status: Status | None = None) -> int:
    with app.app_context():
        query = select(func.count()).select_from(Comment)
        if status is not None:
            query = query.where(Comment.status == status)
        return db.session.execute(query).scalar_one()


def open_blog(page: Page, url: str) -> None:
    page.goto(f"{url}/demo/")
    expect(page.locator(".moderato-form")).to_be_visible()
    expect(page.locator(".moderato-notice", has_text="Loading")).to_have_count(0)


def fill(page: Page, author: str, body: str) -> None:
    form = page.locator(".moderato-form")
    form.get_by_label(re.compile(r"^(Name|Nombre)"), exact=False).fill(author)
    form.locator("#moderato-body").fill(body)


def post(page: Page, author: str, body: str) -> None:
    fill(page, author, body)
    page.locator(".moderato-form button[type=submit]").click()


def set_attributes(page: Page, selector: str, attributes: dict[str, str]) -> None:
    """Set attributes on an element of the blog's page as the parser inserts it, before any
    script runs: as the blog owner would have written them in the template.

    (Rewriting the response with page.route would make Chromium treat the page as public and
    refuse its requests to the loopback service.)
    """
    page.add_init_script(
        f"""new MutationObserver((_, observer) => {{
              const node = document.querySelector({json.dumps(selector)});
              if (!node) return;
              const attributes = {json.dumps(attributes)};
              for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
              observer.disconnect();
            }}).observe(document, {{childList: true, subtree: true}});"""
    )


def own(page: Page, text: str) -> Any:
    return page.locator(".moderato-comment").filter(
        has=page.locator(":scope > article .moderato-body", has_text=text)
    )


def test_cross_origin_post_reply_and_count(
    page: Page, app: Flask, live_server: str, blog_server: str, screenshot: Callable[..., None]
) -> None:
    app.config["MODERATO_THRESHOLDS"] = PUBLISH_ALL
    api_origins: set[str] = set()
    page.on(
        "request",
        lambda r: "/api/v1/" in r.url and api_origins.add(re.match(r"https?://[^/]+", r.url)[0]),
    )
    open_blog(page, blog_server)
    post(page, "Ana", "The tram should *cross* the bridge.")
    first = own(page, "The tram should cross")
    expect(first.locator("em")).to_have_text("cross")
    expect(page.get_by_role("status")).to_have_text("Comment published.")

    first.get_by_role("button", name="Reply to Ana").click()
    post(page, "Bo", "Only if the arches hold.")
    expect(first.locator(".moderato-replies")).to_contain_text("Only if the arches hold.")
    assert api_origins == {live_server}  # the page is on blog_server: every call was CORS

    page.reload()
    open_blog(page, blog_server)
    expect(page.get_by_role("heading", name="2 comments")).to_be_visible()
    expect(page.locator("[data-moderato-count]")).to_have_text("2 comments")
    expect(
        own(page, "The tram should cross").locator(".moderato-replies .moderato-author")
    ).to_have_text("Bo")
    screenshot(page, "blog-cross-origin")
    screenshot(page, "blog-cross-origin-page", full_page=True)


def test_an_origin_the_site_does_not_allow_can_neither_read_nor_post(
    page: Page, app: Flask, live_server: str, blog_server: str
) -> None:
    with app.app_context():
        db.session.execute(select(Site)).scalar_one().allowed_origins = [
            "https://elsewhere.example"
        ]
        db.session.commit()
    page.goto(f"{blog_server}/demo/")
    expect(page.get_by_text("Comments could not be loaded.")).to_be_visible()
    post(page, "Eve", "Posting from a blog that is not configured.")
    expect(page.locator("#moderato-form-error")).to_contain_text(
        "Could not reach the comment server"
    )
    assert stored(app) == 0


def test_own_pending_comment_stays_visible_on_this_device(
    page: Page, app: Flask, blog_server: str, screenshot: Callable[..., None]
) -> None:
    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    open_blog(page, blog_server)
    post(page, "Ana", "Held until someone looks.")
    expect(page.get_by_role("status")).to_have_text(re.compile("awaiting moderation"))
    page.reload()
    open_blog(page, blog_server)
    held = own(page, "Held until someone looks.")
    expect(held.get_by_text("Awaiting moderation")).to_be_visible()
    expect(page.get_by_role("heading", name="Comments", exact=True)).to_be_visible()
    screenshot(page, "blog-own-pending")
    # Another reader (a fresh browser context) does not see it.
    other = page.context.browser.new_context().new_page()
    other.goto(f"{blog_server}/demo/")
    expect(other.get_by_text("No comments yet")).to_be_visible()
    other.context.close()


def test_edit_and_delete_within_the_window(
    page: Page, app: Flask, blog_server: str, screenshot: Callable[..., None]
) -> None:
    app.config["MODERATO_THRESHOLDS"] = PUBLISH_ALL
    open_blog(page, blog_server)
    post(page, "Ana", "First draft with a tpyo.")
    mine = own(page, "tpyo")
    mine.get_by_role("button", name="Edit").click()
    editor = page.get_by_label("Edit your comment")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("First draft with a tpyo.")
    # While editing, the comment's own text and buttons step aside.
    expect(mine.get_by_role("button", name="Reply to Ana")).to_be_hidden()
    expect(mine.locator(".moderato-body")).to_be_hidden()
    screenshot(page, "blog-editing")
    editor.fill("Second draft, **fixed**.")
    page.get_by_role("button", name="Save").click()
    edited = own(page, "Second draft")
    expect(edited.locator("strong")).to_have_text("fixed")
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")
    # The token is in localStorage, never in a cookie.
    assert page.context.cookies() == []
    stored_own = page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert "token" in stored_own

    page.reload()
    open_blog(page, blog_server)
    expect(own(page, "Second draft")).to_be_visible()
    with app.app_context():
        assert db.session.execute(select(Comment.body)).scalar_one() == "Second draft, **fixed**."

    remove = own(page, "Second draft").get_by_role("button", name="Delete")
    remove.click()
    expect(remove).to_have_text("Really delete?")
    remove.click()
    expect(page.get_by_role("status")).to_have_text("Your comment was deleted.")
    expect(own(page, "Second draft")).to_have_count(0)
    assert stored(app) == 0


def test_edit_buttons_are_gone_once_the_window_is_over(
    page: Page, app: Flask, blog_server: str
) -> None:
    app.config["MODERATO_THRESHOLDS"] = PUBLISH_ALL
    with app.app_context():
        db.session.execute(select(Site)).scalar_one().edit_window_seconds = 3
        db.session.commit()
    open_blog(page, blog_server)
    post(page, "Ana", "Quick to edit.")
    mine = own(page, "Quick to edit.")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    expect(mine.get_by_role("button", name="Edit")).to_have_count(0, timeout=6000)


def test_honeypot_is_refused_with_a_message(page: Page, app: Flask, blog_server: str) -> None:
    open_blog(page, blog_server)
    page.locator("#moderato-homepage").fill("https://cheap-pills.example", force=True)
    post(page, "Bot", "Great article, visit my site.")
    expect(page.locator("#moderato-form-error")).to_contain_text("Your comment looks automated")
    expect(page.get_by_role("status")).to_have_text(re.compile("looks automated"))
    assert stored(app) == 0


def test_fast_post_is_refused_in_the_readers_language(
    page: Page, app: Flask, blog_server: str, screenshot: Callable[..., None]
) -> None:
    app.config["MODERATO_MIN_SUBMIT_SECONDS"] = 30
    open_blog(page, blog_server)
    post(page, "Speedy", "Posted the instant the page appeared.")
    expect(page.locator("#moderato-form-error")).to_contain_text("That was quick!")
    expect(page.locator("#moderato-body")).to_have_value("Posted the instant the page appeared.")
    screenshot(page, "blog-too-fast")
    assert stored(app) == 0


def test_language_attribute_switches_to_spanish(
    page: Page, app: Flask, blog_server: str, screenshot: Callable[..., None]
) -> None:
    app.config["MODERATO_MIN_SUBMIT_SECONDS"] = 30

    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    set_attributes(page, "script[data-moderato-site]", {"data-moderato-lang": "es"})
    page.goto(f"{blog_server}/demo/")
    expect(page.get_by_role("heading", name="Comentarios", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Publicar comentario")).to_be_visible()
    expect(page.get_by_label("Nombre (obligatorio)", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Vista previa")).to_be_visible()
    assert any(url.endswith("/embed/i18n/es.js") for url in requested)
    assert not any(url.endswith("/embed/i18n/en.js") for url in requested)
    post(page, "Rápido", "Publicado al instante.")
    expect(page.locator("#moderato-form-error")).to_contain_text("¡Qué rapidez!")
    screenshot(page, "blog-spanish")


def test_unknown_language_falls_back_to_english(page: Page, blog_server: str) -> None:
    set_attributes(page, "html", {"lang": "xx"})
    page.goto(f"{blog_server}/demo/")
    expect(page.get_by_role("heading", name="Comments", exact=True)).to_be_visible()


def test_keyboard_only_posting(page: Page, app: Flask, blog_server: str) -> None:
    app.config["MODERATO_THRESHOLDS"] = PUBLISH_ALL
    open_blog(page, blog_server)
    page.locator("[data-moderato-count]").focus()  # the last link before the widget
    focused: list[str] = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if focused[-1] == "moderato-author":
            break
    page.keyboard.type("Kay")
    page.keyboard.press("Tab")
    page.keyboard.type("kay@example.org")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # no website
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    posted = own(page, "Typed without a mouse.")
    expect(posted).to_be_visible()
    expect(posted.locator("article")).to_be_focused()  # focus follows to the new comment
    assert "moderato-homepage" not in focused
    # Focus is visible: the outline comes from the widget's :focus-visible rule.
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_preview_shows_the_rendered_markdown(
    page: Page, blog_server: str, app: Flask, screenshot: Callable[..., None]
) -> None:
    open_blog(page, blog_server)
    fill(page, "Ana", "Some **bold** and a [link](https://example.org).")
    toggle = page.get_by_role("button", name="Preview")
    toggle.click()
    box = page.locator("#moderato-preview")
    expect(box.locator("strong")).to_have_text("bold")
    expect(box.get_by_role("link", name="link")).to_have_attribute("href", "https://example.org")
    expect(page.get_by_role("button", name="Hide preview")).to_have_attribute(
        "aria-expanded", "true"
    )
    screenshot(page, "blog-preview")
    assert stored(app) == 0


def test_theme_follows_the_page_and_the_attribute(page: Page, blog_server: str) -> None:
    page.emulate_media(color_scheme="dark")
    open_blog(page, blog_server)
    widget = page.locator(".moderato")
    expect(widget).to_have_class(re.compile("moderato--dark"))
    page.emulate_media(color_scheme="light")
    expect(widget).to_have_class(re.compile("moderato--light"))

    set_attributes(page, "script[data-moderato-site]", {"data-moderato-theme": "dark"})
    page.reload()
    expect(widget).to_have_class(re.compile("moderato--dark"))
    assert widget.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(27, 29, 33)"


def test_injection_payloads_never_execute(
    page: Page,
    app: Flask,
    live_server: str,
    blog_server: str,
    approve_held: Callable[[], int],
    screenshot: Callable[..., None],
) -> None:
    """Each payload as body, name and website; rendered after approval; nothing may run."""
    assert len(PAYLOADS) >= 50
    # Payloads differing only in case would count as duplicates; each must be posted.
    app.config.update(
        MODERATO_REQUIRE_FORM_TOKEN=False,
        MODERATO_MAX_LINKS=50,
        MODERATO_DUPLICATE_WINDOW_SECONDS=-1,
    )
    client = app.test_client()
    post_url = f"{blog_server}/demo/"
    refused_urls = set()
    for i, payload in enumerate(PAYLOADS):
        fields = {
            "post": post_url,
            "author": payload[:80],
            "body": payload,
            "url": URL_PAYLOADS[i % len(URL_PAYLOADS)],
        }
        response = client.post("/api/v1/comments", json=fields)
        if response.status_code == 422 and response.get_json()["field"] == "url":
            refused_urls.add(fields.pop("url"))
            response = client.post("/api/v1/comments", json=fields)
        assert response.status_code in (201, 202), (payload, response.get_json())
    # Only http(s) websites are accepted at all.
    assert refused_urls == {u for u in URL_PAYLOADS if not u.startswith("http")}
    approve_held()
    assert stored(app, Status.PUBLISHED) == len(PAYLOADS)

    dialogs: list[str] = []
    unexpected: list[str] = []
    expected = re.compile(
        rf"^({re.escape(blog_server)}/demo/"
        rf"|{re.escape(live_server)}/(embed\.js|embed\.css|embed/i18n/en\.js"
        rf"|api/v1/(comments|form-token|counts)\?.*))$"
    )
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if expected.match(r.url) else unexpected.append(r.url))
    open_blog(page, blog_server)
    expect(page.locator(".moderato-comment")).to_have_count(len(PAYLOADS))
    # Handlers that need a pointer or focus get both.
    links = page.locator(".moderato a")
    for i in range(links.count()):
        links.nth(i).hover()
        links.nth(i).focus()
    page.wait_for_timeout(500)
    for n in (0, 30, 60):
        page.locator(".moderato-comment").nth(n).scroll_into_view_if_needed()
        screenshot(page, f"blog-xss-payloads-{n}", viewport=True)

    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert unexpected == []
    widget = page.locator(".moderato")
    thread = widget.locator(".moderato-comments")
    assert thread.locator("script, img, svg, math, iframe, object, embed, style, form").count() == 0
    hrefs = widget.locator("a[href]").evaluate_all("els => els.map(a => a.href)")
    assert all(re.match(r"(https?:|mailto:)", h) for h in hrefs), hrefs
    names = widget.locator(".moderato-author").all_text_contents()
    assert "<script>alert(1)</script>" in names  # shown as text, exactly as typed


def test_deep_replies_flatten_sort_newest_and_deleted_parent(
    page: Page, app: Flask, blog_server: str, screenshot: Callable[..., None]
) -> None:
    app.config.update(MODERATO_THRESHOLDS=PUBLISH_ALL, MODERATO_REQUIRE_FORM_TOKEN=False)
    with app.app_context():
        db.session.execute(select(Site)).scalar_one().max_depth = 1
        db.session.commit()
    client = app.test_client()
    post_url = f"{blog_server}/demo/"

    def add(author: str, body: str, parent: int | None = None) -> dict[str, Any]:
        fields = {"post": post_url, "author": author, "body": body, "parent": parent}
        response = client.post("/api/v1/comments", json=fields)
        assert response.status_code == 201
        return response.get_json()

    top = add("Ana", "Top-level, oldest.")
    reply = add("Bo", "A reply.", top["id"])
    add("Cy", "A reply to the reply.", reply["id"])
    add("Di", "Top-level, newest.")
    assert (
        client.delete(
            f"/api/v1/comments/{top['id']}", headers={"Moderato-Edit-Token": top["edit_token"]}
        ).status_code
        == 204
    )

    set_attributes(page, "script[data-moderato-site]", {"data-moderato-sort": "newest"})
    open_blog(page, blog_server)
    tops = page.locator(".moderato-comments > .moderato-comment")
    expect(tops).to_have_count(2)
    expect(tops.first).to_contain_text("Top-level, newest.")
    deleted = tops.nth(1)
    expect(deleted.locator(":scope > article")).to_contain_text("This comment was deleted.")
    expect(deleted.locator(":scope > article .moderato-author")).to_have_count(0)
    # max_depth 1: the reply to the reply sits beside it, saying whom it answers.
    replies = deleted.locator(":scope > .moderato-replies > .moderato-comment")
    expect(replies).to_have_count(2)
    # A flattened reply follows the comment it answers, whatever the sort order.
    expect(replies.first).to_contain_text("A reply.")
    expect(replies.nth(1)).to_contain_text("A reply to the reply.")
    expect(replies.nth(1).locator(".moderato-replyto")).to_have_text("in reply to Bo")
    expect(page.get_by_role("heading", name="3 comments")).to_be_visible()
    screenshot(page, "blog-flattened-deleted")


def test_first_paint_of_a_50_comment_thread_is_quick(
    page: Page, app: Flask, blog_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app.config.update(MODERATO_THRESHOLDS=PUBLISH_ALL, MODERATO_REQUIRE_FORM_TOKEN=False)
    client = app.test_client()
    for i in range(50):
        fields = {
            "post": f"{blog_server}/demo/",
            "author": f"Reader {i}",
            "body": f"Comment {i}: *markdown* and a [link](https://example.org/{i}).",
        }
        assert client.post("/api/v1/comments", json=fields).status_code == 201
    # Time from navigation start until the 50th comment is in the page.
    page.add_init_script(
        """new MutationObserver((_, observer) => {
             if (document.querySelectorAll('.moderato-comment').length >= 50) {
               window.__painted = performance.now();
               observer.disconnect();
             }
           }).observe(document, {childList: true, subtree: true});"""
    )
    page.goto(f"{blog_server}/demo/")
    page.wait_for_function("window.__painted")
    painted = page.evaluate("window.__painted")
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    with capsys.disabled():
        print(
            f"\n50 comments painted {painted:.0f} ms after navigation "
            f"(DOMContentLoaded at {loaded:.0f} ms)"
        )
    assert painted < 1500
