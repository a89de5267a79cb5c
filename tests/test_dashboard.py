"""The moderators' dashboard: sign-in, queues, decisions and their history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Comment, Transition
from service.moderation import Action, Status, Thresholds

POST = "https://blog.example.org/2026/11/tram-line.html"
HOLD_ALL = Thresholds(spam_hold=0.0, spam_block=1.0, abuse_hold=0.0, abuse_block=1.0)
BLOCK_ALL = Thresholds(spam_hold=0.0, spam_block=0.0, abuse_hold=0.0, abuse_block=0.0)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def submit(client, app, thresholds: Thresholds, body: str = "Is the tram really cheaper?") -> int:
    app.config["MODERATO_THRESHOLDS"] = thresholds
    response = client.post("/api/v1/comments",
                           json={"post": POST, "title": "Tram line", "author": "Ana", "body": body})
    assert response.status_code == 202
    return response.get_json()["id"]


def sign_in(client, username: str = "mod", password: str = "correct horse battery"):
    page = client.get("/dashboard/login").get_data(as_text=True)
    return client.post("/dashboard/login", data={"username": username, "password": password,
                                                  "csrf_token": csrf_token(page)})


def act(client, comment_id: int, action: str, expected: str):
    page = client.get("/dashboard/").get_data(as_text=True)
    return client.post(f"/dashboard/comments/{comment_id}/moderate",
                       data={"action": action, "expected": expected,
                             "csrf_token": csrf_token(page)})


def status_of(app, comment_id: int) -> Status:
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def test_signed_out_requests_go_to_sign_in_and_change_nothing(client, app, moderator):
    comment_id = submit(client, app, HOLD_ALL)
    assert client.get("/dashboard/").status_code == 302
    response = client.post(f"/dashboard/comments/{comment_id}/moderate",
                           data={"action": "approve", "expected": "pending"})
    assert response.status_code in (302, 400)
    assert status_of(app, comment_id) is Status.PENDING


def test_wrong_password_is_refused(client, moderator):
    response = sign_in(client, password="nope")
    assert response.status_code == 200 and b"Wrong user name or password" in response.data
    assert client.get("/dashboard/").status_code == 302


def test_queue_shows_scores_post_and_reason(client, app, moderator):
    submit(client, app, HOLD_ALL, body="Does the *tram* stop at the station?")
    assert sign_in(client).status_code == 302
    page = client.get("/dashboard/?status=pending").get_data(as_text=True)
    assert "Does the <em>tram</em> stop at the station?" in page
    assert "Tram line" in page and "spam 0." in page and "abuse 0." in page
    assert "held: possible" in page


def test_approve_publishes_and_records_who_when_from_to(client, app, moderator):
    comment_id = submit(client, app, HOLD_ALL)
    sign_in(client)
    assert act(client, comment_id, "approve", "pending").status_code == 302
    assert status_of(app, comment_id) is Status.PUBLISHED
    listed = client.get("/api/v1/comments", query_string={"post": POST}).get_json()
    assert [c["id"] for c in listed["comments"]] == [comment_id]
    with app.app_context():
        last = db.session.execute(
            select(Transition).where(Transition.comment_id == comment_id)
            .order_by(Transition.id.desc())).scalars().first()
        assert (last.from_status, last.to_status, last.action) == (
            Status.PENDING, Status.PUBLISHED, Action.APPROVE)
        assert last.actor.username == "mod" and last.created_at.tzinfo is not None


def test_blocked_comment_can_be_rescued(client, app, moderator):
    comment_id = submit(client, app, BLOCK_ALL)
    sign_in(client)
    page = client.get("/dashboard/?status=blocked").get_data(as_text=True)
    assert "blocked as" in page and "Rescue" in page
    act(client, comment_id, "approve", "blocked")
    assert status_of(app, comment_id) is Status.PUBLISHED


@pytest.mark.parametrize("action", ["reject", "spam"])
def test_reject_and_spam_keep_the_comment_off_the_post(action, client, app, moderator):
    comment_id = submit(client, app, HOLD_ALL)
    sign_in(client)
    act(client, comment_id, action, "pending")
    assert status_of(app, comment_id) is Status.REJECTED
    assert client.get("/api/v1/comments", query_string={"post": POST}).get_json()["total"] == 0


def test_a_decision_already_taken_by_someone_else_is_not_recorded_twice(client, app, moderator):
    comment_id = submit(client, app, HOLD_ALL)
    sign_in(client)
    act(client, comment_id, "reject", "pending")
    response = act(client, comment_id, "approve", "pending")  # a stale page
    assert response.status_code == 302
    assert "already rejected" in client.get("/dashboard/").get_data(as_text=True)
    assert status_of(app, comment_id) is Status.REJECTED
    with app.app_context():
        assert len(db.session.get(Comment, comment_id).transitions) == 2


def test_post_without_csrf_token_is_refused(client, app, moderator):
    comment_id = submit(client, app, HOLD_ALL)
    sign_in(client)
    response = client.post(f"/dashboard/comments/{comment_id}/moderate",
                           data={"action": "approve", "expected": "pending"})
    assert response.status_code == 400 and b"CSRF" in response.data
    assert status_of(app, comment_id) is Status.PENDING


def test_unknown_comment_and_unknown_queue_are_readable_errors(client, moderator):
    sign_in(client)
    assert client.get("/dashboard/comments/9999").status_code == 404
    response = client.get("/dashboard/?status=everything")
    assert response.status_code == 400 and b"unknown queue" in response.data


def test_comment_page_shows_history(client, app, moderator):
    comment_id = submit(client, app, HOLD_ALL)
    sign_in(client)
    act(client, comment_id, "approve", "pending")
    page = client.get(f"/dashboard/comments/{comment_id}").get_data(as_text=True)
    assert "classifier" in page and "approve by mod" in page


def test_html_in_a_comment_never_becomes_markup_in_the_dashboard(client, app, moderator):
    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    client.post("/api/v1/comments", json={
        "post": POST, "author": "<script>alert('name')</script>",
        "url": "https://x.example/\"><script>alert(1)</script>",
        "body": "<img src=x onerror=alert(1)>"})
    sign_in(client)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in page


def test_sign_in_redirect_stays_on_this_site(client, moderator):
    page = client.get("/dashboard/login").get_data(as_text=True)
    response = client.post("/dashboard/login?next=//evil.example/",
                           data={"username": "mod", "password": "correct horse battery",
                                 "csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.location == "/dashboard/"
