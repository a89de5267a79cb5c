"""An Atom feed (RFC 4287) of one post's comments, built with an XML library so every value is
escaped; the comment HTML travels as escaped text in `<content type="html">`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from service.models import Comment, Post

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped; a name may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = _NOT_XML.sub("", value)
    return element


def _link(parent: ET.Element, href: str, rel: str = "alternate") -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": _NOT_XML.sub("", href)})


def atom_feed(post: Post, newest_first: Sequence[Comment], self_url: str) -> bytes:
    """The feed document as UTF-8 bytes."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"{post.url}#comments")
    _text(feed, "title", f"Comments on {post.title or post.url}")
    updated = newest_first[0].created_at if newest_first else post.created_at
    _text(feed, "updated", updated.isoformat())
    _link(feed, post.url)
    _link(feed, self_url, "self")
    for comment in newest_first:
        permalink = f"{post.url}#moderato-comment-{comment.id}"
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", permalink)
        _text(entry, "title", f"Comment by {comment.author}")
        _text(entry, "updated", (comment.edited_at or comment.created_at).isoformat())
        _text(entry, "published", comment.created_at.isoformat())
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", comment.author or "anonymous")
        _link(entry, permalink)
        _text(entry, "content", comment.body_html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
