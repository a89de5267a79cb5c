"""The widget's assets as a blog receives them: served, cacheable, within the size budget."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "service" / "embed" / "static"
BUDGET = 15 * 1024  # embed.js + embed.css + one language, each gzipped as served


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


@pytest.mark.parametrize("lang", sorted(p.stem for p in (STATIC / "i18n").glob("*.js")))
def test_script_stylesheet_and_one_language_fit_the_budget(lang, capsys):
    sizes = {name: gzipped(STATIC / name) for name in ("embed.js", "embed.css", f"i18n/{lang}.js")}
    total = sum(sizes.values())
    with capsys.disabled():
        print(f"\n[{lang}] gzipped bytes: {sizes} total {total} of {BUDGET}")
    assert total <= BUDGET


def test_every_language_file_has_every_string_english_has():
    def keys(lang: str) -> set[str]:
        text = (STATIC / "i18n" / f"{lang}.js").read_text()
        return set(re.findall(r"^\s+(\w+):", text, re.MULTILINE))

    english = keys("en")
    assert len(english) > 40
    for path in (STATIC / "i18n").glob("*.js"):
        assert keys(path.stem) == english, f"{path.name} differs from en.js"


def test_language_files_are_served_and_unknown_ones_are_404(client):
    with client.get("/embed/i18n/es.js") as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert "max-age=3600" in response.headers["Cache-Control"]
        assert b"Comentarios" in response.data
    assert client.get("/embed/i18n/xx.js").status_code == 404
    assert client.get("/embed/i18n/..%2fembed.js").status_code == 404
    assert client.get("/embed/i18n/EN.js").status_code == 404
