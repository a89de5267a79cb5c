"""The moderators' dashboard in Chromium: sign in, clear a queue from the keyboard, bulk-reject,
ban an author, and a phone-width look.

Set MODERATO_SCREENSHOTS to a folder to keep the screenshots (dash-*.png) for a look.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Ban, Comment
from service.moderation import BanKind, Status

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
expect = sync_api.expect
Page = sync_api.Page

# The client tests' helpers: they store comments and accounts as the app would.
from test_dashboard import PASSWORD, add_comment, add_site, add_user, assign  # noqa: E402

pytestmark = pytest.mark.browser


def snap(page: Page, name: str) -> None:
    folder = os.environ.get("MODERATO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"dash-{name}.png"), full_page=True)


def sign_in(page: Page, live_server: str, username: str) -> Page:
    page.goto(f"{live_server}/dashboard/")
    expect(page).to_have_url(f"{live_server}/dashboard/login?next=%2Fdashboard%2F")
    snap(page, "login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Pending comments")).to_be_visible()
    return page


@pytest.fixture
def signed_in(app, moderator, live_server, page: Page) -> Page:
    assign(app, moderator.username, "default")
    return sign_in(page, live_server, moderator.username)


def statuses(app, ids: list[int]) -> list[Status]:
    with app.app_context():
        return [db.session.get(Comment, i).status for i in ids]


def test_clear_a_queue_with_the_keyboard(app, signed_in: Page):
    page = signed_in
    ids = [add_comment(app, body=f"Comment number {i}", spam=0.5 + i / 10) for i in range(3)]
    page.reload()
    items = page.locator("ol.queue > li.comment")
    expect(items).to_have_count(3)
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    snap(page, "help")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    page.keyboard.press("j")
    expect(items.first).to_be_focused()
    snap(page, "queue")
    page.keyboard.press("j")  # the second (older) comment
    page.keyboard.press("s")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_be_focused()  # the position is kept after the page reloads
    page.keyboard.press("k")
    page.keyboard.press("a")
    expect(items).to_have_count(1)
    # The next key acts on the focused comment: wait until the reloaded page has focused it
    # (on a busy machine "r" once arrived before, and did nothing).
    expect(items.first).to_be_focused()
    page.keyboard.press("r")
    expect(page.get_by_text("Nothing here.")).to_be_visible()
    assert statuses(app, ids) == [Status.REJECTED, Status.REJECTED, Status.PUBLISHED]
    expect(page.get_by_role("status")).to_contain_text("Reject: 1 comment done.")


def test_bulk_reject_a_selection(app, signed_in: Page):
    page = signed_in
    ids = [add_comment(app, body=f"Buy pills {i}") for i in range(3)]
    page.reload()
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator('input[name="selected"]:checked')).to_have_count(2)
    snap(page, "bulk")
    page.locator("#bulk").get_by_role("button", name="Reject (abuse)").click()
    expect(page.get_by_role("status")).to_contain_text("Reject: 2 comments done.")
    expect(page.locator("ol.queue > li.comment")).to_have_count(1)
    assert statuses(app, ids) == [Status.REJECTED, Status.PENDING, Status.REJECTED]
    page.get_by_role("link", name="Statistics").click()
    expect(page.locator("[data-new-labels]")).to_have_text("2")
    chart = page.get_by_role("img", name="Comments per day by current state, last 30 days")
    expect(chart).to_be_visible()
    snap(page, "stats")


def test_ban_an_author_from_their_comment(app, signed_in: Page):
    page = signed_in
    comment_id = add_comment(app, email="troll@spam.example", author="Troll")
    page.reload()
    page.get_by_role("link", name=f"#{comment_id}").click()
    expect(page.get_by_role("heading", name=f"Comment #{comment_id}")).to_be_visible()
    snap(page, "comment")
    page.get_by_role("link", name="Ban this email domain").click()
    expect(page.get_by_label("Value")).to_have_value("spam.example")
    page.get_by_label("Reason (optional)").fill("link farm")
    page.get_by_role("button", name="Ban", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Banned email domain spam.example.")
    expect(page.get_by_role("cell", name="spam.example", exact=True)).to_be_visible()
    snap(page, "rules")
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("What").select_option("create_ban")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("cell", name="email_domain spam.example")).to_be_visible()
    snap(page, "audit")
    with app.app_context():
        ban = db.session.execute(select(Ban)).scalar_one()
        assert (ban.kind, ban.value, ban.reason) == (
            BanKind.EMAIL_DOMAIN,
            "spam.example",
            "link farm",
        )


def test_phone_width_shows_everything_without_sideways_scrolling(app, signed_in: Page):
    page = signed_in
    add_comment(
        app,
        body="A long comment " * 20,
        email="someone.with.a.long.address@example.org",
        reason="held: possible spam (score 0.61)",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    approve = page.locator("ol.queue").get_by_role("button", name="Approve")
    expect(approve).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "phone-queue")
    page.emulate_media(color_scheme="dark")
    expect(page.locator("body")).to_have_css("background-color", "rgb(13, 17, 23)")
    snap(page, "phone-queue-dark")
    page.goto(page.url.split("/dashboard/")[0] + "/dashboard/stats")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "phone-stats")


def test_admin_creates_a_moderator_and_assigns_a_site(app, live_server, page: Page):
    add_user(app, "root", admin=True)
    add_site(app, "tech", "Tech blog")
    sign_in(page, live_server, "root")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Accounts").click()
    page.get_by_label("User name").fill("bea")
    page.get_by_label("Password").fill("bea-password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Created bea.")
    page.get_by_label("Tech blog").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved bea.")
    expect(page.get_by_label("Tech blog")).to_be_checked()
    snap(page, "account")
    page.get_by_role("link", name="Sites").click()
    page.get_by_role("link", name="Tech blog").click()
    page.get_by_label("Spam: hold at or above").fill("0.8")
    page.get_by_label("Spam: block at or above").fill("0.7")
    page.get_by_role("button", name="Save site").click()
    expect(page.get_by_text("must be at least the hold threshold")).to_be_visible()
    snap(page, "site-error")
