"""Threshold proposals: ham budgets met for both labels together, recall reported honestly."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from service.classifier.cli import thresholds_command
from service.classifier.thresholds import ham_mask, propose
from service.moderation import Thresholds

NAN = float("nan")


def _synthetic(seed: int = 0, n_ham: int = 2000, n_spam: int = 300, n_abuse: int = 300):
    rng = np.random.default_rng(seed)
    ham = np.column_stack((rng.beta(1, 8, n_ham), rng.beta(1, 8, n_ham)))
    spam = np.column_stack((rng.beta(6, 2, n_spam), rng.beta(1, 8, n_spam)))
    abuse = np.column_stack((rng.beta(1, 8, n_abuse), rng.beta(5, 2, n_abuse)))
    y = np.vstack(([[0, 0]] * n_ham, [[1, 0]] * n_spam, [[0, 1]] * n_abuse)).astype(float)
    return y, np.vstack((ham, spam, abuse))


def _caught(probs: np.ndarray, t: dict[str, float]) -> np.ndarray:
    return (probs[:, 0] >= t["spam"]) | (probs[:, 1] >= t["abuse"])


@pytest.mark.parametrize(("blocked", "held"), [(0.005, 0.05), (0.0, 0.02), (0.02, 0.2)])
def test_budgets_hold_for_both_labels_together(blocked: float, held: float) -> None:
    y, probs = _synthetic()
    p = propose(y, probs, max_ham_blocked=blocked, max_ham_held=held)
    ham = ham_mask(y)
    assert _caught(probs[ham], p.block).mean() <= blocked
    assert _caught(probs[ham], p.hold).mean() <= held
    assert p.ham_blocked == pytest.approx(_caught(probs[ham], p.block).mean())
    for label in ("spam", "abuse"):
        assert 0 < p.hold[label] <= p.block[label] <= 1
    Thresholds(**p.as_thresholds())  # a valid configuration for the service


def test_proposal_is_the_lowest_threshold_within_budget() -> None:
    y, probs = _synthetic()
    p = propose(y, probs, max_ham_blocked=0.005, max_ham_held=0.05)
    ham = probs[ham_mask(y)]
    # One grid step lower on either label breaks the budget: no recall is left on the table.
    for j, label in enumerate(("spam", "abuse")):
        lower = {**p.block, label: round(p.block[label] - 0.001, 3)}
        assert (
            _caught(ham, lower).mean() > 0.005
            or (ham[:, j] >= lower[label]).sum() == (ham[:, j] >= p.block[label]).sum()
        )
    # A looser budget never lowers recall.
    looser = propose(y, probs, max_ham_blocked=0.05, max_ham_held=0.2)
    for label in ("spam", "abuse"):
        assert looser.recall_blocked[label] >= p.recall_blocked[label]
        assert looser.block[label] <= p.block[label]


def test_recall_and_table_match_the_data() -> None:
    y = np.array([[0, 0], [0, 0], [0, 0], [0, 0], [1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)
    probs = np.array(
        [
            [0.1, 0.1],
            [0.2, 0.1],
            [0.3, 0.2],
            [0.9, 0.1],
            [0.95, 0.1],
            [0.4, 0.1],
            [0.1, 0.8],
            [0.1, 0.3],
        ]
    )
    p = propose(y, probs, max_ham_blocked=0.0, max_ham_held=0.25)
    assert p.ham == 4 and p.positives == {"spam": 2, "abuse": 2}
    assert p.block["spam"] == pytest.approx(0.901) and p.ham_blocked == 0.0
    assert p.recall_blocked["spam"] == 0.5
    row = next(r for r in p.table["spam"] if r.threshold == pytest.approx(0.5))
    assert row.ham_share == 0.25 and row.recall == 0.5


def test_bare_rows_do_not_spend_the_block_budget() -> None:
    # The ham at 0.9 is a bare comment: the service holds it, so blocking at 0.9 blocks no ham.
    y = np.array([[0, 0], [0, 0], [0, 0], [1, 0], [1, 0]], dtype=float)
    probs = np.array([[0.1, 0.1], [0.2, 0.1], [0.9, 0.1], [0.95, 0.1], [0.9, 0.1]])
    plain = propose(y, probs, max_ham_blocked=0.0, max_ham_held=0.5)
    assert plain.block["spam"] == pytest.approx(0.901) and plain.recall_blocked["spam"] == 0.5
    bare = np.array([False, False, True, False, False])
    p = propose(y, probs, max_ham_blocked=0.0, max_ham_held=0.5, spam_unblockable=bare)
    assert p.block["spam"] < 0.9 and p.ham_blocked == 0.0
    assert p.recall_blocked["spam"] == 1.0
    # Holding still counts the bare ham: it is kept from publication all the same.
    assert p.ham_held == pytest.approx(1 / 3)
    # A bare spam is held, never blocked: the proposal does not count it as blocked.
    spam_bare = np.array([False, False, False, True, False])
    q = propose(y, probs, max_ham_blocked=0.0, max_ham_held=0.5, spam_unblockable=spam_bare)
    assert q.recall_blocked["spam"] == 0.0 and q.recall_held["spam"] == 1.0
    with pytest.raises(ValueError, match="spam_unblockable"):
        propose(y, probs, max_ham_blocked=0.0, max_ham_held=0.5, spam_unblockable=bare[:2])


def test_unlabeled_rows_are_not_ham_and_missing_positives_are_reported() -> None:
    y = np.array([[0, NAN], [NAN, 0], [NAN, NAN], [NAN, 1]], dtype=float)
    assert ham_mask(y).tolist() == [True, True, False, False]
    p = propose(y, np.full((4, 2), 0.3), max_ham_blocked=0.0, max_ham_held=0.0)
    assert p.positives["spam"] == 0 and np.isnan(p.recall_blocked["spam"])
    assert any("spam: no positives" in w for w in p.warnings)


@pytest.mark.parametrize(
    ("y", "kwargs", "message"),
    [
        (np.ones((3, 2)), {"max_ham_blocked": 0.0, "max_ham_held": 0.1}, "no ham rows"),
        (np.zeros((3, 2)), {"max_ham_blocked": 0.2, "max_ham_held": 0.1}, "budgets must"),
    ],
)
def test_bad_inputs_are_rejected(y: np.ndarray, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        propose(y, np.zeros((3, 2)), **kwargs)


def test_command_prints_the_table_and_the_settings(tmp_path: Path, shipped_dir: Path) -> None:
    path = tmp_path / "eval.csv"
    rows = [("Thanks, this helped a lot.", "ham"), ("Lovely photos of the coast.", "ham")] * 10
    rows += [("Cheap pills!!! visit http://pills.example.com now", "spam")] * 3
    rows += [("You are a stupid idiot, shut up.", "abuse")] * 3
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("text", "label"), *rows])
    result = CliRunner().invoke(
        thresholds_command,
        [str(path), "--max-ham-blocked", "0", "--models-dir", str(shipped_dir)],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "20 ham" in out and "spam (3 positives)" in out and "<- proposed" in out
    settings = dict(line.split("=") for line in out.splitlines() if line.startswith("MODERATO_"))
    assert set(settings) == {
        "MODERATO_SPAM_HOLD",
        "MODERATO_SPAM_BLOCK",
        "MODERATO_ABUSE_HOLD",
        "MODERATO_ABUSE_BLOCK",
    }
    assert "abuse caught: 100.0% blocked" in out


def test_command_refuses_budgets_out_of_order(tmp_path: Path, shipped_dir: Path) -> None:
    path = tmp_path / "eval.csv"
    path.write_text("text,label\nhello,ham\nbuy now,spam\n")
    result = CliRunner().invoke(
        thresholds_command,
        [
            str(path),
            "--max-ham-blocked",
            "0.2",
            "--max-ham-held",
            "0.1",
            "--models-dir",
            str(shipped_dir),
        ],
    )
    assert result.exit_code == 1 and "budgets must satisfy" in result.output
