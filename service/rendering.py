"""Comment bodies: a small Markdown subset rendered to HTML, then sanitized. Done once, on write."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Start from nothing and enable only what comments need:
    # no headings, images, tables or raw HTML.
    md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True, "typographer": False})
    md.enable(
        [
            "emphasis",
            "link",
            "backticks",
            "fence",
            "code",
            "blockquote",
            "list",
            "newline",
            "escape",
            "strikethrough",
            "autolink",
        ]
    )
    return md


def render(body: str) -> str:
    """Render a comment body to safe HTML. User HTML is shown as text, never interpreted."""
    html = _markdown().render(body)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    ).strip()
