"""What looking up an author's record and a spam wave adds to each posted comment.

    .venv/bin/python bench/bench_signals.py [--database-url URL] [--existing 20000] [--posts 300]

Fills a site with `--existing` comments (half of them in the last 7 days, some by the posting
author), then stores `--posts` comments through `create_comment` with and without the look-up,
and prints the median and p99 time per comment of each, and of the look-up alone: wall-clock
and CPU time of this process (the latter is what to read on a machine shared with other work).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, select, text  # noqa: E402

from service import comments, create_app, signals  # noqa: E402
from service.classifier import context  # noqa: E402
from service.extensions import db  # noqa: E402
from service.models import Comment, Post, Site  # noqa: E402
from service.moderation import Status, Thresholds  # noqa: E402
from service.schemas import CommentIn  # noqa: E402
from service.scoring import get_scorer  # noqa: E402

WORDS = ["tram", "bus", "fare", "city", "council", "budget", "cheap", "free", "link", "vote"]


def _fill(existing: int, rng: random.Random) -> Site:
    site = Site(slug="default", name="Bench")
    db.session.add(site)
    db.session.flush()
    db.session.execute(
        insert(Post),
        [{"site_id": site.id, "url": f"https://blog.example.org/{i}"} for i in range(200)],
    )
    post_ids = list(db.session.execute(select(Post.id)).scalars())
    now = datetime.now(UTC)
    rows = []
    for i in range(existing):
        body = " ".join(rng.choices(WORDS, k=rng.randint(5, 40)))
        rows.append(
            {
                "post_id": rng.choice(post_ids),
                "author": f"a{i % 3000}",
                "email": "me@example.org" if i % 100 == 0 else f"a{i % 3000}@example.org",
                "body": body,
                "body_html": body,
                "status": rng.choice(list(Status)),
                "reason": "bench",
                "fingerprint": context.fingerprint(body),
                "signals": [],
                "created_at": now - timedelta(seconds=rng.randint(0, 14 * 86400)),
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Comment), rows[start : start + 5000])
    db.session.commit()
    # Statistics, as a running database has them (PostgreSQL's autovacuum gathers them soon
    # after a bulk load): without them PostgreSQL plans the wave look-up per post.
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return site


def _time(n: int, rng: random.Random, lookup: bool) -> list[tuple[float, float]]:
    original = signals.compute
    if not lookup:
        signals.compute = lambda *args, **kwargs: signals.Signals(0, [])  # type: ignore[assignment]
    try:
        out = []
        for i in range(n):
            body = " ".join(rng.choices(WORDS, k=rng.randint(5, 40))) + f" {i}"
            data = CommentIn(
                site="default", post="https://blog.example.org/1", author="Me",
                email="me@example.org", body=body,
            )  # fmt: skip
            t0, c0 = time.perf_counter(), time.process_time()
            comments.create_comment(data, get_scorer(), Thresholds(), address_hash="f" * 64)
            out.append((time.perf_counter() - t0, time.process_time() - c0))
        return out
    finally:
        signals.compute = original


def _report(name: str, seconds: list[tuple[float, float]]) -> None:
    parts = []
    for kind, values in (("wall", [w for w, _ in seconds]), ("cpu", [c for _, c in seconds])):
        ms = sorted(v * 1000 for v in values)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        parts.append(f"{kind} median {statistics.median(ms):6.2f} ms p99 {p99:6.2f} ms")
    print(f"{name:32s} " + "   ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--existing", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "MODERATO_MODELS_DIR": str(REPO / "models"),
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            site = _fill(args.existing, rng)
            print(f"{url.split(':')[0]}: {args.existing} comments on the site")
            lookups = []
            for _ in range(args.posts):
                t0, c0 = time.perf_counter(), time.process_time()
                signals.compute(site, "cheap bus fare vote " * 5, "me@example.org", "f" * 64)
                lookups.append((time.perf_counter() - t0, time.process_time() - c0))
            _report("look-up alone", lookups)
            # Interleaved rounds, so load from other processes hits both alike.
            without, with_ = [], []
            for _ in range(3):
                without += _time(args.posts // 3, rng, lookup=False)
                with_ += _time(args.posts // 3, rng, lookup=True)
            _report("create_comment without look-up", without)
            _report("create_comment with look-up", with_)
            db.session.remove()
            db.drop_all()


if __name__ == "__main__":
    main()
