"""The dashboard's queue page with 100,000 comments in the database: p50 and p95 per view.

    .venv/bin/python bench/bench_queue.py [--comments 100000] [--requests 200]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench]

Fills a fresh database (SQLite in a temporary folder unless --database-url names one, whose
tables are dropped, recreated and left filled afterwards), signs in as a moderator assigned to
one of two sites, and times the Flask test client on each view: the whole request, rendering
included. Seeded, so the same command fills the same rows. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, select  # noqa: E402

from service import create_app  # noqa: E402
from service.extensions import db  # noqa: E402
from service.models import Comment, Post, Site, Transition, User  # noqa: E402
from service.moderation import Status  # noqa: E402

GOAL_P95_MS = 50.0
WORDS = [
    "tram",
    "bus",
    "fare",
    "city",
    "council",
    "budget",
    "cheap",
    "pills",
    "casino",
    "bonus",
    "great",
    "post",
    "thanks",
    "disagree",
    "strongly",
    "idiot",
    "link",
    "click",
    "here",
    "free",
    "money",
    "policy",
    "vote",
    "mayor",
    "bike",
    "lane",
]
STATES = [
    (Status.PUBLISHED, "published: below both hold thresholds", 0.70),
    (Status.PENDING, "held: possible spam (score 0.62)", 0.13),
    (Status.BLOCKED, "blocked as spam (score 0.98 >= 0.95)", 0.05),
    (Status.BLOCKED, "blocked as abuse (score 0.93 >= 0.9)", 0.04),
    (Status.REJECTED, "spam by mod", 0.08),
]


def fill(n: int, seed: int = 7) -> int:
    """Insert two sites, 500 posts, `n` comments with a first transition each; return a post id."""
    rng = random.Random(seed)
    sites = [Site(slug="default", name="Default"), Site(slug="other", name="Other")]
    db.session.add_all(sites)
    db.session.flush()
    db.session.execute(
        insert(Post),
        [
            {
                "site_id": sites[i % 2].id,
                "url": f"https://blog.example.org/{i}.html",
                "title": f"Post {i}",
                "closed": False,
                "require_moderation": False,
                "created_at": datetime.now(UTC),
            }
            for i in range(500)
        ],
    )
    post_ids = list(db.session.execute(select(Post.id)).scalars())
    moderator = User(username="bench", sites=[sites[0]])
    moderator.set_password("bench-password")
    db.session.add(moderator)
    now = datetime.now(UTC)
    states, weights = [s[:2] for s in STATES], [s[2] for s in STATES]
    chunk = 10_000
    for start in range(0, n, chunk):
        rows = []
        for _ in range(start, min(start + chunk, n)):
            status, reason = rng.choices(states, weights)[0]
            body = " ".join(rng.choices(WORDS, k=rng.randint(5, 40)))
            rows.append(
                {
                    "post_id": rng.choice(post_ids),
                    "author": f"author{rng.randint(1, 5000)}",
                    "email": f"a{rng.randint(1, 5000)}@example.org",
                    "body": body,
                    "body_html": f"<p>{body}</p>",
                    "status": status,
                    "reason": reason,
                    "spam_score": rng.random(),
                    "abuse_score": rng.random(),
                    "model_version": "bench",
                    "created_at": now - timedelta(seconds=rng.randint(0, 90 * 86400)),
                    "updated_at": now,
                }
            )
        db.session.execute(insert(Comment), rows)
        print(f"  {min(start + chunk, n):>7,} comments", file=sys.stderr)
    db.session.execute(
        insert(Transition).from_select(
            ["comment_id", "to_status", "reason", "created_at"],
            select(Comment.id, Comment.status, Comment.reason, Comment.created_at),
        )
    )
    db.session.commit()
    return post_ids[0]


def time_view(client, url: str, requests: int) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds of GET `url`, after a few warm-up requests; and rows shown."""
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    rows = len(re.findall(rb'<li class="comment"', response.data))
    quantiles = statistics.quantiles(timings, n=100)
    return statistics.median(timings), quantiles[94], rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="moderato-bench-")
    os.environ["MODERATO_INSTANCE_PATH"] = folder
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "MODERATO_LOAD_MODEL": False,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        post_id = fill(args.comments)
        filled = time.perf_counter() - started
        with db.engine.begin() as conn:  # fresh statistics, as a live database would have
            conn.exec_driver_sql("ANALYZE")
        driver = db.engine.url.drivername
    print(f"{args.comments:,} comments inserted in {filled:.1f} s into {driver}")

    client = app.test_client()
    response = client.post(
        "/dashboard/login", data={"username": "bench", "password": "bench-password"}
    )
    assert response.status_code == 302, "sign-in failed"
    first = client.get("/dashboard/?queue=published").get_data(as_text=True)
    cursor = re.search(r'after=([^"&]+)', first)
    views = {
        "pending, newest": "/dashboard/?queue=pending",
        "pending, oldest": "/dashboard/?queue=pending&sort=oldest",
        "pending, most uncertain": "/dashboard/?queue=pending&sort=uncertain",
        "blocked as abuse": "/dashboard/?queue=abuse",
        "published, newest": "/dashboard/?queue=published",
        "published, page 2 (keyset)": f"/dashboard/?queue=published&after={cursor.group(1)}",
        "published, one post": f"/dashboard/?queue=published&post={post_id}",
        "pending, text search": "/dashboard/?queue=pending&q=casino",
        "pending, author search": "/dashboard/?queue=pending&author=author42",
    }
    print(f"{'view':<30} {'p50 ms':>8} {'p95 ms':>8} {'rows':>5}")
    worst = 0.0
    for name, view in views.items():
        p50, p95, rows = time_view(client, view, args.requests)
        worst = max(worst, p95)
        print(f"{name:<30} {p50:8.1f} {p95:8.1f} {rows:5d}")
    verdict = "meets" if worst < GOAL_P95_MS else "misses"
    print(f"worst p95 {worst:.1f} ms: {verdict} the {GOAL_P95_MS:.0f} ms goal")
    with app.app_context():
        db.engine.dispose()  # the rows stay, to look at query plans; the next run replaces them


if __name__ == "__main__":
    main()
