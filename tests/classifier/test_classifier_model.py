"""The shipped model: loads, scores anything, and gets the obvious cases right."""

from __future__ import annotations

import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service.classifier import Classifier, Sample, Scores, default_models_dir
from service.classifier import features as fx
from service.moderation import Status, Thresholds, decide

REPO = Path(__file__).resolve().parents[2]

# Civil, heated opinions from several sides; written for these tests, not taken from the seed.
POLITICAL = [
    "This tax plan is a giveaway to the rich and the senators who wrote it should be ashamed.",
    "Open borders are a disaster for working people, and I will vote against every candidate "
    "who supports them.",
    "Gun control does not work; the criminals ignore it and law-abiding owners pay the price.",
    "The police budget should be cut in half and the money spent on housing.",
    "Abortion is the killing of a child, and no slogan about choice changes my mind.",
    "Forced-birth laws are cruel and the governor knows it.",
    "The president lied about the deficit and the press let him get away with it.",
    "Climate policy so far has been a joke; we need a carbon tax now, not more promises.",
    "Este gobierno ha arruinado la economía y espero que pierda las próximas elecciones.",
    "La ley de inmigración es injusta y castiga a familias que llevan años trabajando aquí.",
    # A short one against all parties: in a few words "todos" and "unos" are most of the
    # text, and they were read as an attack on a group (abuse 0.83 before fx.GENERIC_WORDS).
    "Ni unos ni otros, todos prometen lo mismo.",
]
INSULTS = [
    "You are a pathetic idiot and nobody wants to read your garbage, moron.",
    "Shut up, you stupid worthless piece of trash.",
    "Eres un imbécil y un inútil, cállate de una vez.",
]
THREATS = [
    "I know where you live and I will make you regret writing this.",
    "Someone should put a bullet in your head, you traitor.",
]
IDENTITY = ["Immigrants are vermin and should be thrown out of the country like the rats they are."]
SPAM = [
    "Great post! Check out my site for cheap followers http://cheap-followers.example.com",
    "Earn $5000 a week from home!!! Contact me on WhatsApp +1 555 0100 for details",
    "Subscribe to my channel and like my videos please!!! youtube.com/c/mychannel",
]


def test_default_models_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODERATO_MODELS_DIR", raising=False)
    assert default_models_dir() == REPO / "models"
    monkeypatch.setenv("MODERATO_MODELS_DIR", "/srv/models")
    assert default_models_dir() == Path("/srv/models")


def test_shipped_model_is_the_promoted_one(shipped: Classifier, shipped_dir: Path) -> None:
    pointer = json.loads((shipped_dir / "current.json").read_text())
    assert shipped.version == pointer["version"]
    meta = json.loads((shipped_dir / f"moderato-{shipped.version}.json").read_text())
    assert meta["version"] == shipped.version
    assert meta["versions"]["sklearn"] == "1.9.1"
    assert all(f["sha256"] and f["rows"] > 0 for f in meta["training_files"])


WEIRD = [
    "",
    " ",
    "a" * 1_000_000,
    "x\x00y\x01\x7f\ud800\udfff",
    bytes(range(256)).decode("latin-1"),
    "日本語のコメントです。とても良い記事でした。",
    "مقال رائع شكرا لك",
    "😀" * 500,
    "\u202e\u200b\ufeff",
    "&#0;&amp;&lt;script&gt;",
    "http://" + "a" * 5000,
]


def test_weird_text_gets_a_defined_score(shipped: Classifier) -> None:
    samples = [Sample(t, author=t[:50], email=t[:20], url=t[:30]) for t in WEIRD]
    scores = shipped.score(samples)
    assert len(scores) == len(WEIRD)
    for s in scores:
        assert isinstance(s, Scores)
        for value in (s.spam, s.abuse):
            assert isinstance(value, float) and math.isfinite(value) and 0.0 <= value <= 1.0


def test_empty_batch(shipped: Classifier) -> None:
    assert shipped.score([]) == []


def test_score_is_the_same_alone_and_in_a_batch(shipped: Classifier) -> None:
    texts = POLITICAL + INSULTS + SPAM + WEIRD
    batch = shipped.score([Sample(t) for t in texts])
    for text, expected in zip(texts, batch, strict=True):
        (alone,) = shipped.score([Sample(text)])
        assert alone.spam == pytest.approx(expected.spam, abs=1e-6)
        assert alone.abuse == pytest.approx(expected.abuse, abs=1e-6)


def test_civil_political_comments_are_published(shipped: Classifier) -> None:
    defaults = Thresholds()
    for text, s in zip(POLITICAL, shipped.score([Sample(t) for t in POLITICAL]), strict=True):
        assert s.abuse < defaults.abuse_hold, text
        assert decide(s.spam, s.abuse, defaults).status == Status.PUBLISHED, text


def test_a_short_comment_is_not_decided_by_one_word(shipped: Classifier) -> None:
    # In a few words one word is most of the text (fx.NORM_FLOOR): a short verdict on a law
    # or on politicians was blocked or held for "stupid", "hate" or "all"; short insults
    # must still be kept back.
    verdicts = ["Vote them all out.", "I hate this bill.", "Lies, all of it.", "What a stupid law."]
    insults = ["You idiot.", "Shut up, moron.", "Cállate, idiota.", "Eres un imbécil."]
    defaults = Thresholds()
    scored = shipped.score([Sample(t) for t in verdicts])
    for text, s in zip(verdicts, scored, strict=True):
        assert decide(s.spam, s.abuse, defaults).status != Status.BLOCKED, text
    assert sum(s.abuse < defaults.abuse_hold for s in scored) >= 3
    for text, s in zip(insults, shipped.score([Sample(t) for t in insults]), strict=True):
        assert decide(s.spam, s.abuse, defaults).status != Status.PUBLISHED, text


def test_a_scam_with_a_phone_number_is_kept_back(shipped: Classifier) -> None:
    # Fake support lines and "recovery agents" live by a phone number; the reader who posts
    # one is rare. -21 published the first.
    scams = [
        "Had the same printer issue. Called HP helpline 1-800-555-0147, they sorted it remotely.",
        "Lost access to my Coinbase wallet, recovery agent on +1 (415) 555-0176 got it back.",
    ]
    for text, s in zip(scams, shipped.score([Sample(t) for t in scams]), strict=True):
        assert decide(s.spam, s.abuse, Thresholds()).status != Status.PUBLISHED, text


def test_a_group_told_to_go_back_is_kept_back(shipped: Classifier) -> None:
    # Calls to send a group back are identity attacks (data/README.md); a reader's own
    # journey home is not. -21 published both attacks.
    attacks = [
        "Send them all back where they came from.",
        "Vosotros los gitanos, largaos de nuestra tierra.",
    ]
    civil = [
        "I moved back to my country after ten years abroad and it was hard.",
        "Mi padre volvió a su país a los setenta y fue lo mejor que hizo.",
    ]
    defaults = Thresholds()
    for text, s in zip(attacks, shipped.score([Sample(t) for t in attacks]), strict=True):
        assert decide(s.spam, s.abuse, defaults).status != Status.PUBLISHED, text
    for text, s in zip(civil, shipped.score([Sample(t) for t in civil]), strict=True):
        assert decide(s.spam, s.abuse, defaults).status == Status.PUBLISHED, text


@pytest.mark.parametrize("text", INSULTS + THREATS + IDENTITY)
def test_abuse_scores_high(shipped: Classifier, text: str) -> None:
    (s,) = shipped.score([Sample(text)])
    assert s.abuse >= 0.5
    assert decide(s.spam, s.abuse, Thresholds()).status != Status.PUBLISHED


@pytest.mark.parametrize("text", SPAM)
def test_spam_scores_high(shipped: Classifier, text: str) -> None:
    (s,) = shipped.score([Sample(text)])
    assert s.spam >= 0.5
    assert s.abuse < 0.5


def test_obfuscation_does_not_hide_an_insult(shipped: Classifier) -> None:
    plain, leet = shipped.score([Sample("you stupid idiot"), Sample("y0u stup1d 1d10t!!!!!!")])
    assert leet.abuse >= 0.5
    assert abs(plain.abuse - leet.abuse) < 0.3


def test_concurrent_scoring_matches_sequential(shipped: Classifier) -> None:
    texts = (POLITICAL + INSULTS + SPAM) * 5
    expected = [shipped.score([Sample(t)])[0] for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: shipped.score([Sample(t)])[0], texts))
    assert got == expected


def test_explanation_names_the_words_that_weighed(shipped: Classifier) -> None:
    (s,) = shipped.score([Sample("You are a pathetic idiot")], explain=True)
    assert s.abuse_explanation and s.spam_explanation
    assert any("idiot" in name for name, _ in s.abuse_explanation)
    assert s.abuse_explanation[0][1] != 0.0
    (plain,) = shipped.score([Sample("You are a pathetic idiot")])
    assert plain.abuse == pytest.approx(s.abuse)


def test_explanation_names_the_generic_words_mark_readably(shipped: Classifier) -> None:
    (s,) = shipped.score([Sample("Send them all back where they came from")], explain=True)
    names = [name for name, _ in s.abuse_explanation + s.spam_explanation]
    assert "_" not in names
    assert any(name.startswith("(all, them") for name in names)


def test_commenter_details_do_not_move_the_base_model(shipped: Classifier) -> None:
    # Only a site layer learns from websites and e-mails: no training comment of the base
    # model has them, so their tokens get no weight of their own.
    for token in ("meta:url", "meta:email", "meta:author-link", "meta:url-tld:ru"):
        bucket = fx._hash_token(token) - fx.N_TEXT_FEATURES
        assert not shipped._token_coef[bucket].any(), token
    # A domain's token can share a hashed bucket with a trained one ("example.ru" shares
    # one with a link domain of the seed), so the text decides, up to a trace.
    texts = ["Thanks for the great article!", "ok", INSULTS[0]]
    plain = shipped.score([Sample(t) for t in texts])
    detailed = shipped.score(
        [Sample(t, "Bob", "bob@example.com", "http://x.example.ru") for t in texts]
    )
    for a, b in zip(plain, detailed, strict=True):
        assert a.spam == pytest.approx(b.spam, abs=0.005)
        assert a.abuse == pytest.approx(b.abuse, abs=0.005)
