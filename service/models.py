"""Database tables, as SQLAlchemy 2 typed models."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from service.extensions import db
from service.moderation import Action, BanKind, Status, Thresholds


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every database; SQLite would otherwise hand back naive datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use timezone-aware UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(enum_class: type, name: str) -> Enum:
    # Stored as the enum's value ("pending"), as a plain string column with a CHECK constraint.
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
    )


user_sites = Table(
    "user_sites",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class Site(db.Model):
    """One blog served by this instance, with its own origins, thresholds and word lists."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    # None means "use the instance-wide threshold from the configuration".
    spam_hold: Mapped[float | None] = mapped_column(Float)
    spam_block: Mapped[float | None] = mapped_column(Float)
    abuse_hold: Mapped[float | None] = mapped_column(Float)
    abuse_block: Mapped[float | None] = mapped_column(Float)
    require_moderation: Mapped[bool] = mapped_column(default=False)
    max_depth: Mapped[int] = mapped_column(default=4)
    edit_window_seconds: Mapped[int] = mapped_column(default=900)
    banned_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    suspect_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    posts: Mapped[list[Post]] = relationship(back_populates="site")

    def thresholds(self, default: Thresholds) -> Thresholds:
        """This site's thresholds, each falling back to the instance-wide one."""
        return Thresholds(
            spam_hold=default.spam_hold if self.spam_hold is None else self.spam_hold,
            spam_block=default.spam_block if self.spam_block is None else self.spam_block,
            abuse_hold=default.abuse_hold if self.abuse_hold is None else self.abuse_hold,
            abuse_block=default.abuse_block if self.abuse_block is None else self.abuse_block,
        )


class User(UserMixin, db.Model):
    """A dashboard account: admins manage everything, moderators the sites assigned to them."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sites: Mapped[list[Site]] = relationship(secondary=user_sites)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to deactivated accounts
        return self.is_active_account

    def can_moderate(self, site_id: int) -> bool:
        return self.is_admin or any(site.id == site_id for site in self.sites)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt, salted

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Post(db.Model):
    """A blog post, created on its first comment and identified by its site and URL."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("site_id", "url", name="uq_posts_site_id_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(300), default="")
    closed: Mapped[bool] = mapped_column(default=False)
    require_moderation: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship(back_populates="posts")
    comments: Mapped[list[Comment]] = relationship(back_populates="post")


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_post_status_created", "post_id", "status", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
        # Covers the dashboard's "most uncertain first": its sort reads scores from the index alone.
        Index("ix_comments_status_scores", "status", "spam_score", "abuse_score", "post_id", "id"),
        # Covers the spam-wave look-up: the site's latest comments and their fingerprints.
        Index("ix_comments_created_fingerprint", "created_at", "post_id", "fingerprint"),
        # The author's record on a site, by e-mail (the address hash has its own index).
        Index("ix_comments_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(_enum(Status, "comment_status"))
    reason: Mapped[str] = mapped_column(String(200))
    spam_score: Mapped[float | None] = mapped_column(Float)
    abuse_score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(80))
    rule: Mapped[str | None] = mapped_column(String(200))  # a ban or word list that decided
    # A keyed hash of the client address: lets moderators ban an address without storing it.
    address_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # sha256 of the secret the author's browser keeps to edit or delete within the window.
    edit_token_hash: Mapped[str | None] = mapped_column(String(64))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Simhash of the body (service.classifier.context.fingerprint), to find the same message
    # posted again; None for comments stored before fingerprints existed.
    fingerprint: Mapped[int | None] = mapped_column(BigInteger)
    # The context tokens the model saw at posting (or last edit): the author's record here and
    # the spam-wave count. None: not computed, which the model reads as unknown.
    signals: Mapped[list[str] | None] = mapped_column(JSON)
    # Deleted by its author while it had replies: the row stays, emptied, to hold the thread.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    post: Mapped[Post] = relationship(back_populates="comments")
    transitions: Mapped[list[Transition]] = relationship(
        back_populates="comment", order_by="Transition.id"
    )


class Transition(db.Model):
    """One change of a comment's state: by the classifier on arrival, or by a moderator."""

    __tablename__ = "transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[Status | None] = mapped_column(_enum(Status, "transition_from"))
    to_status: Mapped[Status] = mapped_column(_enum(Status, "transition_to"))
    action: Mapped[Action | None] = mapped_column(_enum(Action, "transition_action"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


class Ban(db.Model):
    """A rule that blocks an author's comments, on one site or all, until it expires."""

    __tablename__ = "bans"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[BanKind] = mapped_column(_enum(BanKind, "ban_kind"))
    value: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(db.Model):
    """One moderator action or rule change: who, what, when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
