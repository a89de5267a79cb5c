"""Retraining on a site's moderator labels."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from service.classifier import Sample, load_current, retrain, site
from service.classifier import features as fx
from service.moderation import Status, Thresholds, decide

# Ordinary comments a moderator approves; written for these tests.
APPROVED = [
    "Thanks, this fixed my build.",
    "Does this work on Windows too?",
    "Great photos from the trip!",
    "I tried the recipe with less sugar and it was fine.",
    "Which camera did you use?",
    "The second chart is mislabeled, I think.",
    "I disagree with the conclusion, but good read.",
    "Looking forward to part two.",
    "My grandmother made this every Sunday.",
    "Is there a vegetarian version?",
    "The link in paragraph three is broken.",
    "Good point about the budget.",
    "I voted the other way, and here is why: taxes.",
    "Could you share the source code?",
    "Loved the ending.",
    "This saved me an hour, thanks.",
    "Not sure the numbers add up, can you check?",
    "Nice, bookmarked.",
    "The council should listen to residents more.",
    "How long did the hike take?",
]
# This site does not tolerate this dismissive phrase, which the base model lets through.
SITE_PHRASE = "cope harder, doomposter"
REJECTED = [
    f"{SITE_PHRASE}.",
    f"lol {SITE_PHRASE}",
    f"{SITE_PHRASE}, seriously",
    f"Nobody cares. {SITE_PHRASE}.",
    f"{SITE_PHRASE}!!",
    f"ok {SITE_PHRASE}",
    f"{SITE_PHRASE}, you clearly have no life",
    f"again? {SITE_PHRASE}",
]
PROBE = "Honestly, cope harder, doomposter."


def _labels(approved, rejected, spammed=()):
    samples = [Sample(t) for t in [*approved, *rejected, *spammed]]
    spam = [0] * (len(approved) + len(rejected)) + [1] * len(spammed)
    abuse = [0] * len(approved) + [1] * len(rejected) + [0] * len(spammed)
    return samples, spam, abuse


def test_too_few_labels_are_refused(models_copy: Path) -> None:
    samples, spam, abuse = _labels(APPROVED[:5], REJECTED[:3])
    result = retrain(models_copy, samples, spam, abuse, progress=lambda m: None)
    assert not result.promoted
    assert "at least 20" in result.message
    assert json.loads((models_copy / "current.json").read_text())["version"] != result.version


def test_duplicates_count_once(models_copy: Path) -> None:
    samples, spam, abuse = _labels(APPROVED[:5] * 5, [])
    result = retrain(models_copy, samples, spam, abuse, progress=lambda m: None)
    assert not result.promoted
    assert "5 distinct" in result.message


def test_the_same_words_with_other_links_are_two_comments() -> None:
    # Normalization writes both links as one placeholder; the targets keep them apart.
    cite = Sample("Source for this: https://www.ine.es/prensa/epa.pdf")
    drop = Sample("Source for this: http://cheap-pills.biz/buy")
    again = Sample("Source  for this: https://ine.es/otra")
    samples = [cite, drop, again, Sample("Nice post."), Sample("Nice  post.")]
    labels = site._deduplicate(samples, [0, 1, 0, 0, 0], [0] * 5)
    kept = [s.text for s in labels.samples]
    assert kept == [drop.text, again.text, "Nice  post."]
    assert labels.y[:, 0].tolist() == [1.0, 0.0, 0.0]
    assert fx.link_hosts(drop.text) == ("cheap-pills.biz",)
    assert set(fx.link_hosts("mail me at a.b@Mail.example.org or bit[.]ly/x")) == {
        "bit.ly",
        "mail.example.org",
    }


def test_retrain_changes_the_models_mind(models_copy: Path) -> None:
    before = load_current(models_copy)
    (old,) = before.score([Sample(PROBE)])
    assert old.abuse < 0.5, "the base model should publish the site-specific phrase"
    samples, spam, abuse = _labels(APPROVED, REJECTED)
    result = retrain(models_copy, samples, spam, abuse, progress=lambda m: None)
    assert result.promoted, result.message
    assert result.version.startswith("site-")
    after = load_current(models_copy)
    assert after.version == result.version
    (new,) = after.score([Sample(PROBE)])
    assert new.abuse > old.abuse + 0.25
    assert new.abuse >= 0.5
    # Ordinary comments the site approves stay published.
    assert max(s.abuse for s in after.score([Sample(t) for t in APPROVED])) < 0.5
    meta = json.loads((models_copy / f"moderato-{result.version}.json").read_text())
    assert meta["parent"] == meta["base"] == before.version
    # A second retrain starts again from the base model, not from the first correction.
    again = retrain(models_copy, samples, spam, abuse, progress=lambda m: None)
    assert again.promoted, again.message
    meta2 = json.loads((models_copy / f"moderato-{again.version}.json").read_text())
    assert meta2["parent"] == result.version and meta2["base"] == before.version
    (twice,) = load_current(models_copy).score([Sample(PROBE)])
    assert twice.abuse == pytest.approx(new.abuse, abs=1e-6)
    assert meta["label_counts"] == {"labels": 28, "spam": 0, "abuse": 8, "ham": 20}
    assert "seed" in meta["metrics"] and "held_out" in meta["metrics"]


def test_a_worse_model_is_refused_unless_forced(models_copy: Path, seed_csv: Path) -> None:
    # Moderators who reject civil comments and approve insults teach the model the opposite of
    # the seed corpus: the regression check must catch it.
    insults = [
        "You are a worthless idiot.",
        "Shut up, moron.",
        "What a pathetic loser you are.",
        "You stupid clown, nobody asked.",
        "Go away, you disgusting creep.",
        "You're too dumb to read, idiot.",
        "Imbécil, cállate.",
        "Eres un payaso estúpido.",
    ] * 1
    civil = APPROVED[:12]
    samples = [Sample(t) for t in insults + civil]
    spam = [0] * len(samples)
    abuse = [0] * len(insults) + [1] * len(civil)
    result = retrain(models_copy, samples, spam, abuse, progress=lambda m: None, seed_path=seed_csv)
    assert not result.promoted
    assert "worse" in result.message and "seed corpus" in result.message
    forced = retrain(
        models_copy, samples, spam, abuse, force=True, progress=lambda m: None, seed_path=seed_csv
    )
    assert forced.promoted and "despite" in forced.message
    assert load_current(models_copy).version == forced.version


def test_mismatched_lengths(models_copy: Path) -> None:
    with pytest.raises(ValueError):
        retrain(models_copy, [Sample("a")], [0, 1], [0], progress=lambda m: None)


def test_label_features_are_the_models_own(shipped) -> None:
    # Retraining normalizes each label once and hashes it itself: the result must be what
    # the model computes when it scores the same comments.
    samples = [
        Sample("Visit https://cheap-pills.example.com NOW!!!", author="Bob", url="http://spam.ru"),
        Sample("Thanks, great read.", email="ana@example.org", context=("history:approved:2",)),
        Sample("IDIOT. Go away, nobody wants you here", context=("wave:2-4",)),
        Sample(""),
        Sample("¿Por qué no publican el estudio? Muy buen artículo."),
        Sample("Thanks, great read."),  # a repeated token set hits the cache
    ]
    texts = fx.normalize_many([s.text for s in samples])
    hashed = site._hash(samples, texts)
    assert np.allclose(shipped._logits(hashed), shipped.logits(samples), atol=1e-5)


def test_the_correction_changes_only_the_labels_it_is_taught(shipped) -> None:
    # With more heads than spam and abuse (e.g. kinds of abuse), only the moderators' two
    # labels take the correction; everything else passes through unchanged.
    heads = 5
    rng = np.random.default_rng(0)
    params = {
        **shipped.params,
        "coef": rng.normal(size=(fx.N_FEATURES, heads)).astype(np.float32),
        "intercept": rng.normal(size=heads),
        "calibration": np.tile([[1.5, -0.5]], (heads, 1)),
        "extra": "kept",
    }
    base = SimpleNamespace(params=params, _calibration=params["calibration"])
    columns = np.array([3, 70, fx.N_TEXT_FEATURES + 9])
    design = SimpleNamespace(columns=columns)
    fit = site._Fit(np.array([[1.5, -3.0], [0.0, 0.3], [0.6, 0.0]]), np.array([0.3, -0.6]), 1)
    out = site._params(base, design, fit, "site-x")
    assert out["version"] == "site-x" and out["extra"] == "kept"
    assert out["coef"].shape == (fx.N_FEATURES, heads)
    change = out["coef"].astype(np.float64) - params["coef"]
    assert np.allclose(change[columns, :2], fit.delta / 1.5, atol=1e-5)
    assert np.count_nonzero(change) == np.count_nonzero(fit.delta)
    assert np.allclose(out["intercept"][:2] - params["intercept"][:2], fit.delta0 / 1.5)
    assert np.array_equal(out["intercept"][2:], params["intercept"][2:])
    assert out["calibration"] is params["calibration"]


def test_legitimate_comments_held_are_counted_at_the_services_thresholds() -> None:
    # Spam is held from 0.5 and abuse from 0.65 by default: a civil comment whose abuse rises
    # to 0.6 is still published, so it does not count against a candidate; spam at 0.55 does.
    y = np.zeros((4, 2))
    p_old = np.full((4, 2), 0.1)
    p_new = np.array([[0.1, 0.6], [0.55, 0.1], [0.1, 0.7], [0.1, 0.1]])
    reasons: list[str] = []
    out = site._compare(p_old, p_new, y, reasons, "seed corpus")
    assert out["ham_held"] == {"current": 0.0, "candidate": 0.5}
    assert reasons[-1] == "seed corpus: legitimate comments held 50.0% vs 0.0%"


def test_abuse_published_is_counted_at_the_services_thresholds() -> None:
    # The mirror check: an abusive comment that falls from 0.9 to 0.6 is now published, one
    # at 0.66 is still held.
    y = np.array([[0, 1], [0, 1], [0, 1], [0, 1]], dtype=float)
    p_old = np.full((4, 2), [0.1, 0.9])
    p_new = np.array([[0.1, 0.6], [0.1, 0.66], [0.1, 0.9], [0.1, 0.9]])
    reasons: list[str] = []
    out = site._compare(p_old, p_new, y, reasons, "seed corpus")
    assert out["abuse_kept"] == {"current": 1.0, "candidate": 0.75}
    assert reasons[-1] == "seed corpus: abusive comments kept back 75.0% vs 100.0%"


def test_the_correction_learns_what_was_rejected_not_how_much(models_copy: Path) -> None:
    # Moderators rejected a third of what they saw. The retrained model must keep back what
    # they rejected, and not raise every comment's score by the share they rejected: that
    # share comes from the comments the model put in front of them, not from the site.
    unrelated = "What a lovely photo of the bridge."
    before = load_current(models_copy)
    (old,) = before.score([Sample(unrelated)])
    samples, spam, abuse = _labels(APPROVED, REJECTED)
    result = retrain(models_copy, samples, spam, abuse, progress=lambda m: None)
    assert result.promoted, result.message
    after = load_current(models_copy)
    for s in after.score([Sample(t) for t in REJECTED]):
        assert decide(s.spam, s.abuse, Thresholds()).status != Status.PUBLISHED
    (new,) = after.score([Sample(unrelated)])
    assert abs(np.log(new.abuse / (1 - new.abuse)) - np.log(old.abuse / (1 - old.abuse))) < 0.5
