"""The author's record and spam waves: looked up at posting, stored, handed to the model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from service import comments, signals
from service.classifier import Scores
from service.extensions import db
from service.models import Comment, Site
from service.moderation import Status
from service.schemas import CommentIn
from service.scoring import Scorer
from tests.support import POST, PUBLISH_ALL
from tests.test_dashboard import add_comment, assign, sign_in

WAVE = "Earn $500 a day from home, no experience needed, see my profile for the link!"


class RecordingClassifier:
    """Publishes everything and remembers every sample it was asked to score."""

    version = "test-1"

    def __init__(self) -> None:
        self.samples: list = []

    def score(self, samples, *, explain: bool = False):
        self.samples.extend(samples)
        return [Scores(0.1, 0.1) for _ in samples]


@pytest.fixture
def recorder() -> RecordingClassifier:
    return RecordingClassifier()


def post(
    recorder,
    body: str,
    *,
    post_url: str = POST,
    email: str | None = None,
    address: str | None = None,
    author: str = "Ana",
) -> Comment:
    data = CommentIn(site="default", post=post_url, author=author, email=email, body=body)
    return comments.create_comment(data, Scorer(recorder), PUBLISH_ALL, address_hash=address)


def set_status(comment_id: int, status: Status, created: datetime | None = None) -> None:
    comment = db.session.get(Comment, comment_id)
    comment.status = status
    if created is not None:
        comment.created_at = created
    db.session.commit()


def test_an_author_with_rejected_comments_carries_that_history(app, recorder):
    with app.app_context():
        ids = [
            post(recorder, f"Comment number {n} about trams.", email="bo@example.org").id
            for n in range(4)
        ]
        set_status(ids[0], Status.REJECTED)
        set_status(ids[1], Status.BLOCKED)
        set_status(ids[3], Status.PENDING)  # undecided: says nothing yet
        new = post(recorder, "Another one about buses.", email="bo@example.org")
        assert new.signals[:2] == ["history:approved:1", "history:rejected:2+"]
        assert recorder.samples[-1].context == tuple(new.signals)


def test_history_matches_the_address_without_email_and_is_unknown_without_either(app, recorder):
    with app.app_context():
        first = post(recorder, "First visit to the blog.", address="a" * 64)
        assert first.signals == []
        set_status(first.id, Status.REJECTED)
        assert post(recorder, "Back again.", address="a" * 64).signals == ["history:rejected:1"]
        # The same address with an e-mail is matched by the e-mail: a new author.
        assert post(recorder, "Hello.", address="a" * 64, email="c@example.org").signals == []
        # Neither e-mail nor address: nobody to match, even after a rejected anonymous comment.
        set_status(post(recorder, "Anonymous one.").id, Status.REJECTED)
        assert post(recorder, "Anonymous two.").signals == []


def test_another_sites_decisions_do_not_count(app, recorder):
    with app.app_context():
        first = post(recorder, "A comment on the first site.", email="bo@example.org")
        set_status(first.id, Status.REJECTED)
        db.session.add(Site(slug="other", name="Other"))
        db.session.commit()
        data = CommentIn(site="other", post=POST, author="Bo", email="bo@example.org", body="Hi.")
        elsewhere = comments.create_comment(data, Scorer(recorder), PUBLISH_ALL)
        assert elsewhere.signals == []


def test_the_same_message_across_posts_is_a_wave_and_a_different_one_is_not(app, recorder):
    with app.app_context():
        for n in range(3):
            post(
                recorder,
                WAVE.replace("$500", f"${500 + n}"),
                post_url=f"{POST}?p={n}",
                author=f"bot{n}",
            )
        fourth = post(recorder, WAVE.upper(), post_url=f"{POST}?p=9", author="bot9")
        assert "wave:2-4" in fourth.signals
        other = post(recorder, "The tram timetable changed again this week, annoyingly.")
        assert other.signals == []


def test_comments_older_than_the_window_are_not_part_of_a_wave(app, recorder):
    with app.app_context():
        old = post(recorder, WAVE)
        set_status(old.id, Status.PUBLISHED, datetime.now(UTC) - timedelta(days=8))
        assert post(recorder, WAVE).signals == []


def test_signals_are_stored_and_reused_by_sample_of(app, recorder):
    with app.app_context():
        post(recorder, WAVE, email="x@example.org")
        second = post(recorder, WAVE, email="x@example.org")
        comment_id = second.id
        db.session.expunge_all()
        stored = db.session.get(Comment, comment_id)
        assert stored.fingerprint == signals.context.fingerprint(WAVE)
        assert stored.signals == ["history:approved:1", "wave:1"]
        assert comments.sample_of(stored).context == ("history:approved:1", "wave:1")
        stored.signals = None  # stored before signals existed: unknown context
        assert comments.sample_of(stored).context == ()


def test_an_edit_recomputes_the_signals_without_counting_itself(app, recorder):
    with app.app_context():
        post(recorder, WAVE, post_url=f"{POST}?p=1", author="bot")
        mine = post(recorder, "Nice photos of the new tram.", email="me@example.org")
        assert mine.signals == []
        comments.edit_comment(mine, WAVE, Scorer(recorder), PUBLISH_ALL)
        assert mine.signals == ["wave:1"]
        assert mine.fingerprint == signals.context.fingerprint(WAVE)
        assert recorder.samples[-1].context == ("wave:1",)


def test_the_wave_look_up_reads_a_bounded_number_of_comments(app, recorder, monkeypatch):
    monkeypatch.setattr(signals, "WAVE_LIMIT", 2)
    with app.app_context():
        for n in range(4):
            post(recorder, WAVE, post_url=f"{POST}?p={n}")
        site = db.session.execute(select(Site).where(Site.slug == "default")).scalar_one()
        assert len(signals.recent_fingerprints(site)) == 2


def test_migration_0004_adds_and_removes_the_columns(empty_app):
    with empty_app.app_context():
        directory = empty_app.extensions["migrate"].directory
        upgrade(directory=directory)
        columns = {c["name"] for c in db.inspect(db.engine).get_columns("comments")}
        assert {"fingerprint", "signals"} <= columns
        downgrade(directory=directory, revision="0003")
        inspector = db.inspect(db.engine)
        columns = {c["name"] for c in inspector.get_columns("comments")}
        indexes = {i["name"] for i in inspector.get_indexes("comments")}
        assert not {"fingerprint", "signals"} & columns
        assert not {"ix_comments_created_fingerprint", "ix_comments_email"} & indexes
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")


def test_the_comment_page_shows_the_stored_context_plainly(app, client, recorder, moderator):
    assign(app, moderator.username, "default")
    with app.app_context():
        for _ in range(2):
            set_status(post(recorder, WAVE, email="bot@example.org").id, Status.REJECTED)
        comment_id = post(recorder, WAVE, email="bot@example.org").id
        quiet = post(recorder, "Nice photos of the new tram.").id
    older = add_comment(app)  # stored before context existed
    sign_in(client)
    page = client.get(f"/dashboard/comments/{comment_id}").get_data(as_text=True)
    assert "Author's history here: 2+ rejected · Similar recent comments: 2-4" in page
    page = client.get(f"/dashboard/comments/{quiet}").get_data(as_text=True)
    assert "Author's history here: none · Similar recent comments: none" in page
    page = client.get(f"/dashboard/comments/{older}").get_data(as_text=True)
    assert 'Context</dt><dd><span class="muted">not recorded' in page
