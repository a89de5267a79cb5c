"""Comment bodies: the Markdown subset renders, and no user HTML survives."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from service.rendering import ALLOWED_TAGS, render


def test_markdown_subset_renders():
    html = render("*em* **strong** `code`\n\n> quoted\n\n- one\n- two")
    for fragment in (
        "<em>em</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<blockquote>",
        "<li>one</li>",
    ):
        assert fragment in html


def test_links_get_rel_nofollow_ugc_noopener():
    html = render("[my site](https://example.org/a?b=1)")
    assert 'href="https://example.org/a?b=1"' in html
    assert 'rel="nofollow ugc noopener"' in html


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.seen


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        "<svg onload=alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        "[x](JaVaScRiPt:alert(1))",
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_user_html_is_never_interpreted(payload):
    for tag, attrs in _tags(render(payload)):
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert (tag, name) in {("a", "href"), ("a", "rel")}
            if name == "href":
                assert urlsplit(value or "").scheme in {"http", "https", "mailto"}


def test_unicode_survives_intact():
    text = "مرحبا بالعالم 👩🏽‍🔬 e\u0301 שלום"
    assert text in render(text)


def test_headings_and_images_stay_text():
    assert "<h1" not in render("# Title")
    assert "<img" not in render("![alt](https://example.org/x.png)")
