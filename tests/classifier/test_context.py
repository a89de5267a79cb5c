"""Context tokens: near-duplicate fingerprints, history and wave bins, used by the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from service.classifier import Classifier, Sample
from service.classifier import features as fx
from service.classifier.context import (
    count_near,
    describe,
    distance,
    fingerprint,
    history_tokens,
    near,
    wave_tokens,
)
from service.classifier.data import load_file
from service.classifier.training import build_training_set, uninformative_context

SPAM = "Earn $500 a day from home, no experience needed, see my profile for the link!"


def test_fingerprints_are_signed_64_bit_and_ignore_case_spacing_and_numbers() -> None:
    value = fingerprint(SPAM)
    assert -(2**63) <= value < 2**63
    assert (
        fingerprint(
            "  EARN $900 a DAY from home,   no experience needed, see my profile for the link"
        )
        == value
    )
    assert fingerprint("") == 0
    assert fingerprint("🙂🙂") != 0


def test_a_changed_word_is_near_and_another_message_is_not() -> None:
    assert near(fingerprint(SPAM), fingerprint(SPAM.replace("profile", "page")))
    other = fingerprint("The tram timetable changed again this week, and nobody told us why.")
    assert distance(fingerprint(SPAM), other) > 20
    assert not near(fingerprint(SPAM), other)
    assert count_near(fingerprint(SPAM), [fingerprint(SPAM), None, other]) == 1


def test_history_and_wave_bins() -> None:
    assert history_tokens(0, 0) == []  # evidence only: nothing decided yet is no token
    assert history_tokens(1, 0) == ["history:approved:1"]
    assert history_tokens(3, 1) == ["history:approved:2+", "history:rejected:1"]
    assert history_tokens(0, 2) == ["history:rejected:2+"]
    assert [wave_tokens(n) for n in (0, 1, 2, 4, 5, 40)] == [
        [],
        ["wave:1"],
        ["wave:2-4"],
        ["wave:2-4"],
        ["wave:5+"],
        ["wave:5+"],
    ]
    assert describe(["history:approved:1", "history:rejected:2+", "wave:2-4"]) == {
        "history": "1 approved, 2+ rejected",
        "wave": "2-4",
    }
    assert describe([]) == {"history": "none", "wave": "none"}


def test_the_model_scores_and_explains_the_context(shipped: Classifier) -> None:
    params = dict(shipped.params)
    coef = np.array(params["coef"], copy=True)
    # Three logits on the spam column, whatever value a token has in the input.
    coef[fx._hash_token("history:rejected:2+"), 0] = 3.0 / fx.TOKEN_VALUE
    params["coef"] = coef
    model = Classifier(params)
    text = "Thanks for the post, I learned something."
    (plain,) = model.score([Sample(text)])
    (known,) = model.score([Sample(text, context=("history:rejected:2+",))], explain=True)
    assert known.spam > plain.spam + 0.1
    assert dict(known.spam_explanation).get("(author's history here: rejected:2+)", 0) > 0


def test_youtube_rows_get_the_history_and_wave_they_had_in_time_order(tmp_path: Path) -> None:
    path = tmp_path / "Youtube09-Test.csv"
    path.write_text(
        '"COMMENT_ID","AUTHOR","DATE","CONTENT","CLASS"\n'
        # Out of time order in the file, as in the real files.
        "c,Spammer,2014-01-03T10:00:00,Subscribe to my channel for free gift cards 2014,1\n"
        "a,Spammer,2014-01-01T10:00:00,subscribe to my channel for FREE gift cards!,1\n"
        "b,Fan,2014-01-02T10:00:00,What a song,0\n"
        "d,Fan,2014-01-20T10:00:00,subscribe to my channel for free gift cards,0\n"
        "e,Spammer,,Still the best song of the year,1\n"  # no date: after the row before it
    )
    d = load_file(path)
    assert d.contexts == [
        ["history:rejected:1", "wave:1"],
        [],
        [],
        # Same message, but the wave is more than 7 days old; the author has one approved.
        ["history:approved:1"],
        ["history:rejected:2+"],
    ]


def test_training_keeps_a_repeat_only_when_its_context_differs(tmp_path: Path) -> None:
    path = tmp_path / "Youtube09-Test.csv"
    path.write_text(
        '"COMMENT_ID","AUTHOR","DATE","CONTENT","CLASS"\n'
        "a,Bot1,2014-01-01T10:00:00,Subscribe to my channel,1\n"
        "b,Bot2,2014-01-01T11:00:00,Subscribe to my channel,1\n"  # now part of a wave
        "c,Fan,2014-01-01T12:00:00,What a song,0\n"
        "d,Fan2,2014-03-01T12:00:00,What a song,0\n"  # same text, same (empty) context
    )
    training = build_training_set([load_file(path)])
    assert training.texts.count("subscribe to my channel") == 2
    assert training.texts.count("what a song") == 1
    assert any("wave:1" in tokens for tokens in training.metas)


def test_context_columns_are_left_out_of_a_label_their_rows_cannot_teach(tmp_path: Path) -> None:
    youtube = tmp_path / "Youtube09-Test.csv"
    youtube.write_text(
        '"COMMENT_ID","AUTHOR","DATE","CONTENT","CLASS"\n'
        "a,Bot,2014-01-01T10:00:00,Subscribe to my channel,1\n"
        "b,Bot,2014-01-01T11:00:00,Buy followers cheap,1\n"
        "c,Fan,2014-01-01T12:00:00,What a song,0\n"
        "d,Fan,2014-01-01T13:00:00,Still listening in 2014,0\n"
    )
    seed = tmp_path / "site.csv"
    seed.write_text("text,label\nYou are an idiot,abuse\nI disagree with you,ham\n")
    data = build_training_set([load_file(seed), load_file(youtube)])
    X = fx.weighted_matrix(fx.hash_texts(data.texts, data.metas), np.ones(fx.N_FEATURES))
    columns = [fx._hash_token(t) for t in ("history:rejected:1", "history:approved:1")]
    # Spam: the context rows hold both classes, the tokens keep their columns.
    assert uninformative_context(data, X, "spam")[:, columns].nnz == 2
    # Abuse: every row with context is "not abuse", so the tokens could only learn the source.
    assert uninformative_context(data, X, "abuse")[:, columns].nnz == 0
