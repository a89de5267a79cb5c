"""Request and response shapes. They validate input at the edge and produce the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from service.moderation import Status
from service.threads import SortOrder

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


def _http_url(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise ValueError(f"must be at most {max_length} characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError("must be an absolute http:// or https:// URL")
    return value


def _limit(info: ValidationInfo, key: str, default: int) -> int:
    return int((info.context or {}).get(key, default))


class CommentIn(BaseModel):
    """A new comment as a reader's browser sends it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    site: Text = Field("default", max_length=64, description="The id of the blog (site).")
    post: Text = Field(description="The URL of the blog post the comment belongs to.")
    title: Text = Field("", max_length=300, description="The post's title, kept on first comment.")
    author: Text = Field(min_length=1, description="The name shown with the comment.")
    email: EmailStr | None = Field(None, description="Optional; never shown publicly.")
    url: Text | None = Field(None, description="Optional website of the author (http or https).")
    body: str = Field(description="Plain text with a small Markdown subset.")
    parent: int | None = Field(None, gt=0, description="Id of the comment this one replies to.")
    homepage: str = Field("", max_length=500, description="Leave empty: a field people never see.")
    form_token: str | None = Field(
        None, max_length=500, description="From GET /api/v1/form-token when the form appeared."
    )

    @field_validator("post")
    @classmethod
    def _check_post(cls, value: str, info: ValidationInfo) -> str:
        return _http_url(value, _limit(info, "max_post_url", 2000))

    @field_validator("author")
    @classmethod
    def _check_author(cls, value: str, info: ValidationInfo) -> str:
        limit = _limit(info, "max_author", 80)
        if len(value) > limit:
            raise ValueError(f"must be at most {limit} characters")
        return value

    @field_validator("email", "url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _http_url(value, _limit(info, "max_url", 500))

    @field_validator("body")
    @classmethod
    def _check_body(cls, value: str, info: ValidationInfo) -> str:
        return _body(value, info)


def _body(value: str, info: ValidationInfo) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    limit = _limit(info, "max_body", 10_000)
    if len(value) > limit:
        raise ValueError(f"must be at most {limit} characters (got {len(value)})")
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value.strip()


class BodyIn(BaseModel):
    """A comment body alone: an author's edit, or text to preview."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(description="Plain text with a small Markdown subset.")

    @field_validator("body")
    @classmethod
    def _check_body(cls, value: str, info: ValidationInfo) -> str:
        return _body(value, info)


class CommentOut(BaseModel):
    """A published comment as readers see it."""

    id: int
    parent: int | None = Field(description="Id of the parent comment, null for a top-level one.")
    author: str
    url: str | None = Field(description="The author's website, if given.")
    html: str = Field(description="The body rendered from Markdown and sanitized.")
    created: datetime = Field(description="ISO 8601, UTC.")
    edited: datetime | None = Field(None, description="When its author last edited it.")
    deleted: bool = Field(False, description="Deleted by its author; kept for its replies.")
    reply_to: str | None = Field(
        None,
        description="Author replied to, when the reply sits higher than its parent because "
        "the thread is deeper than the site's max depth.",
    )
    status: Literal[Status.PUBLISHED] = Status.PUBLISHED


class EditableOut(BaseModel):
    """What only the author's browser receives, once: the secret that allows editing."""

    edit_token: str = Field(description="Send as the Moderato-Edit-Token header to edit or delete.")
    editable_until: datetime = Field(description="End of the edit window, ISO 8601, UTC.")


class CreatedOut(CommentOut, EditableOut):
    """A comment just published, with its edit token."""


class PendingOut(BaseModel):
    """A comment accepted and held; what happens next is for a moderator to decide."""

    id: int
    status: Literal["pending"] = "pending"


class HeldOut(PendingOut, EditableOut):
    """A comment just accepted and held, with its edit token."""


class CommentList(BaseModel):
    post: str
    total: int = Field(description="Published comments, not counting deleted ones.")
    sort: SortOrder = SortOrder.OLDEST
    comments: list[CommentOut] = Field(description="Published comments in thread order.")


class ListQuery(BaseModel):
    """Query of GET /api/v1/comments and /api/v1/feed."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    site: str = Field("default", max_length=64, description="The id of the blog (site).")
    post: str = Field(min_length=1, max_length=2000, description="The post URL.")
    sort: SortOrder = Field(SortOrder.OLDEST, description="Order of the thread.")


class CountsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    site: str = Field("default", max_length=64)
    post: list[Annotated[str, StringConstraints(min_length=1, max_length=2000)]] = Field(
        min_length=1, max_length=100, description="Post URLs, repeated: ?post=a&post=b."
    )


class CountsOut(BaseModel):
    counts: dict[str, int] = Field(description="Published comments per post URL (0 if none).")


class FormTokenOut(BaseModel):
    token: str = Field(description="Send back as form_token with the comment.")
    min_seconds: float = Field(description="Posting sooner than this after issue is refused.")
    max_seconds: float = Field(description="The token expires after this long.")


class PreviewOut(BaseModel):
    html: str = Field(description="The body as it would be shown, sanitized.")


class FieldError(BaseModel):
    field: str | None
    message: str


class ErrorOut(BaseModel):
    error: str = Field(description="A stable machine-readable code.")
    message: str = Field(description="A readable explanation.")
    field: str | None = Field(None, description="The first field at fault, if any.")
    errors: list[FieldError] = []


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: bool
    model: str | None = Field(description="Version of the loaded model, null when none loaded.")
    detail: str | None = None
