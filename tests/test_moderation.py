"""The moderation rules on their own: no app, no database."""

import pytest

from service.moderation import (
    ACTION_LABEL,
    Action,
    Label,
    Status,
    Thresholds,
    TransitionError,
    decide,
    is_bare,
    target_status,
)

T = Thresholds(spam_hold=0.5, spam_block=0.9, abuse_hold=0.4, abuse_block=0.8)


@pytest.mark.parametrize(
    ("spam", "abuse", "status", "words"),
    [
        (0.1, 0.1, Status.PUBLISHED, "published"),
        (0.5, 0.1, Status.PENDING, "possible spam"),
        (0.1, 0.4, Status.PENDING, "possible abuse"),
        (0.95, 0.1, Status.BLOCKED, "blocked as spam"),
        (0.1, 0.85, Status.BLOCKED, "blocked as abuse"),
        (0.7, 0.85, Status.BLOCKED, "blocked as abuse"),  # any block beats any hold
    ],
)
def test_decide_maps_scores_to_states_with_a_reason(spam, abuse, status, words):
    decision = decide(spam, abuse, T)
    assert decision.status is status
    assert words in decision.reason


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Subscribed!", Status.PENDING),  # nothing to sell: held for a person, not blocked
        ("¡Suscrita, gracias!", Status.PENDING),
        ("sub4sub anyone??", Status.PENDING),
        ("Cheap pills: pills.example.com", Status.BLOCKED),  # a link is something to sell
        ("Visit www.example.com", Status.BLOCKED),
        ("WhatsApp +34 600 000 000", Status.BLOCKED),
        ("follow @spam_acct", Status.BLOCKED),
        ("rx-shop[.]example", Status.BLOCKED),
        ("Subscribe to my channel please", Status.BLOCKED),  # four words is enough to block
        (
            "加微信领取免费福利活动火热进行中名额有限先到先得快来参加吧不要错过这次机会哦每天都有新的优惠等着你",
            Status.BLOCKED,
        ),
    ],
)
def test_a_bare_comment_is_held_not_blocked_as_spam(text, status):
    decision = decide(0.99, 0.0, T, text=text)
    assert decision.status is status
    assert is_bare(text) is (status is Status.PENDING)
    if status is Status.PENDING:
        assert "possible spam" in decision.reason and "too short" in decision.reason
    # Without the text, or as abuse, the scores alone decide.
    assert decide(0.99, 0.0, T).status is Status.BLOCKED
    assert decide(0.99, 0.85, T, text=text).status is Status.BLOCKED


def test_thresholds_refuse_hold_above_block():
    with pytest.raises(ValueError, match="spam thresholds"):
        Thresholds(spam_hold=0.9, spam_block=0.5)


def test_thresholds_from_mapping_reads_prefixed_numbers_and_keeps_defaults():
    t = Thresholds.from_mapping(
        {"MODERATO_SPAM_BLOCK": "0.97", "MODERATO_ABUSE_HOLD": 0.3}, prefix="MODERATO_"
    )
    assert (t.spam_hold, t.spam_block, t.abuse_hold) == (Thresholds().spam_hold, 0.97, 0.3)
    with pytest.raises(ValueError, match="MODERATO_SPAM_HOLD must be a number"):
        Thresholds.from_mapping({"MODERATO_SPAM_HOLD": "high"}, prefix="MODERATO_")


def test_transitions_allowed_and_refused():
    assert target_status(Status.PENDING, Action.APPROVE) is Status.PUBLISHED
    assert target_status(Status.BLOCKED, Action.APPROVE) is Status.PUBLISHED  # rescue
    assert target_status(Status.PUBLISHED, Action.SPAM) is Status.REJECTED
    with pytest.raises(TransitionError, match="cannot approve a comment that is published"):
        target_status(Status.PUBLISHED, Action.APPROVE)
    with pytest.raises(TransitionError):
        target_status(Status.REJECTED, Action.REJECT)


def test_every_action_teaches_a_label():
    assert ACTION_LABEL == {
        Action.APPROVE: Label.HAM,
        Action.REJECT: Label.ABUSE,
        Action.SPAM: Label.SPAM,
    }
