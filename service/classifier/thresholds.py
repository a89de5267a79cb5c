"""Proposing publish / hold / block thresholds from scored, labeled comments and ham budgets.

"Ham" is a comment labeled neither spam nor abuse. A budget is the largest share of ham a
step may catch: `max_ham_blocked` for blocking, `max_ham_held` for everything kept from
publication (held or blocked). Budgets hold for the two labels together: a ham comment
blocked as spam and one blocked as abuse both count against the same budget.

Rows the service never blocks as spam (a bare comment, `service.moderation.is_bare`) are
passed as `spam_unblockable`: for blocking, their spam score counts as zero, so the block
budget is spent on comments the threshold can really block; they still count for holding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import LABELS

# Thresholds are proposed on a grid of this step: finer than any evaluation file supports.
STEP = 0.001
GRID = np.round(np.arange(1, int(round(1 / STEP)) + 1) * STEP, 3)
TABLE_POINTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the trade-off table for a label: what a single threshold would catch."""

    threshold: float
    ham_share: float  # share of ham scoring at or above the threshold on this label
    recall: float  # share of this label's positives scoring at or above it (NaN: none)


@dataclass(frozen=True, slots=True)
class Proposal:
    """Proposed thresholds and what they do on the evaluation rows."""

    hold: dict[str, float]
    block: dict[str, float]
    ham: int
    positives: dict[str, int]
    ham_held: float  # ham held or blocked at the proposed thresholds, both labels together
    ham_blocked: float
    recall_held: dict[str, float]  # positives held or blocked
    recall_blocked: dict[str, float]
    table: dict[str, list[Row]]
    warnings: tuple[str, ...]

    def as_thresholds(self) -> dict[str, float]:
        """Keyword arguments for `service.moderation.Thresholds`."""
        return {
            f"{label}_{step}": getattr(self, step)[label]
            for label in LABELS
            for step in ("hold", "block")
        }


def ham_mask(y: np.ndarray) -> np.ndarray:
    """Rows labeled negative on every label they have a label for (NaN: unknown)."""
    known = ~np.isnan(y)
    return known.any(axis=1) & ~np.any(np.where(known, y, 0) == 1, axis=1)


def _share_at_or_above(scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    if len(scores) == 0:
        return np.full(len(thresholds), np.nan)
    ordered = np.sort(scores)
    return 1.0 - np.searchsorted(ordered, thresholds, side="left") / len(ordered)


def _smallest_within(ham_scores: np.ndarray, budget: float) -> float:
    """The lowest grid threshold whose ham share is within `budget` (1.0 if none is)."""
    share = _share_at_or_above(ham_scores, GRID)
    ok = np.flatnonzero(share <= budget + 1e-12)
    return float(GRID[ok[0]]) if ok.size else 1.0


def _joint(ham_probs: np.ndarray, budget: float) -> dict[str, float]:
    """Per-label thresholds whose union catches at most `budget` of ham.

    Each label first gets the same fraction of the budget, the largest fraction (by
    bisection) for which the union stays within it; then each threshold in turn is lowered
    as far as the union allows, so overlap between the labels and slack are not wasted.
    """

    def union(t: dict[str, float]) -> float:
        caught = np.zeros(len(ham_probs), dtype=bool)
        for j, label in enumerate(LABELS):
            caught |= ham_probs[:, j] >= t[label]
        return float(caught.mean()) if len(caught) else 0.0

    def at(fraction: float) -> dict[str, float]:
        return {
            label: _smallest_within(ham_probs[:, j], budget * fraction)
            for j, label in enumerate(LABELS)
        }

    best = at(1.0)
    if union(best) > budget:
        low, high = 0.0, 1.0
        best = at(0.0)
        for _ in range(25):
            middle = (low + high) / 2
            candidate = at(middle)
            if union(candidate) <= budget:
                low, best = middle, candidate
            else:
                high = middle
    for label in LABELS:
        # The union grows as one threshold falls: bisect over the grid below the current one.
        low, high = 0, int(np.searchsorted(GRID, best[label] - STEP / 2))
        while low < high:
            middle = (low + high) // 2
            if union({**best, label: float(GRID[middle])}) <= budget:
                high = middle
            else:
                low = middle + 1
        best[label] = float(GRID[low]) if low < len(GRID) else best[label]
    return best


def propose(
    y: np.ndarray,
    probs: np.ndarray,
    *,
    max_ham_blocked: float,
    max_ham_held: float,
    spam_unblockable: np.ndarray | None = None,
) -> Proposal:
    """Thresholds meeting both ham budgets that catch as much spam and abuse as they allow.

    `y` and `probs` have shape (n, 2), columns in `LABELS` order; `y` is 1, 0 or NaN.
    `spam_unblockable` (n booleans) marks rows that a spam score holds but never blocks.
    """
    y = np.asarray(y, dtype=float)
    probs = np.asarray(probs, dtype=float)
    if y.shape != probs.shape or y.ndim != 2 or y.shape[1] != len(LABELS):
        raise ValueError(f"labels and scores must both have shape (n, {len(LABELS)})")
    # What the block thresholds act on: bare rows cannot be blocked as spam.
    block_probs = probs.copy()
    if spam_unblockable is not None:
        spam_unblockable = np.asarray(spam_unblockable, dtype=bool)
        if spam_unblockable.shape != (len(y),):
            raise ValueError(f"spam_unblockable must have shape ({len(y)},)")
        block_probs[spam_unblockable, LABELS.index("spam")] = 0.0
    if not 0.0 <= max_ham_blocked <= max_ham_held <= 1.0:
        raise ValueError(
            "budgets must satisfy 0 <= max_ham_blocked <= max_ham_held <= 1, "
            f"got {max_ham_blocked} and {max_ham_held}"
        )
    ham = ham_mask(y)
    if not ham.any():
        raise ValueError("no ham rows (labeled neither spam nor abuse): nothing to budget")
    ham_probs = probs[ham]
    block = _joint(block_probs[ham], max_ham_blocked)
    hold = _joint(ham_probs, max_ham_held)
    warnings = []
    for label in LABELS:
        hold[label] = min(hold[label], block[label])
        if block[label] >= 1.0 and np.mean(ham_probs[:, LABELS.index(label)] >= 1.0) > 0:
            warnings.append(
                f"{label}: some ham scores 1.0, so even a block threshold of 1.0 blocks ham"
            )

    def caught(t: dict[str, float], rows: np.ndarray, scores: np.ndarray = probs) -> np.ndarray:
        out = np.zeros(int(rows.sum()), dtype=bool)
        for j, label in enumerate(LABELS):
            out |= scores[rows, j] >= t[label]
        return out

    positives, recall_held, recall_blocked, table = {}, {}, {}, {}
    for j, label in enumerate(LABELS):
        pos = y[:, j] == 1
        positives[label] = int(pos.sum())
        # A positive counts as caught by either label: abuse blocked as spam is still blocked.
        recall_held[label] = float(caught(hold, pos).mean()) if pos.any() else float("nan")
        recall_blocked[label] = (
            float(caught(block, pos, block_probs).mean()) if pos.any() else float("nan")
        )
        if not pos.any():
            warnings.append(f"{label}: no positives in the file; recall cannot be measured")
        points = np.unique(np.round([*TABLE_POINTS, hold[label], block[label]], 3))
        ham_share = _share_at_or_above(ham_probs[:, j], points)
        recall = _share_at_or_above(probs[pos, j], points)
        table[label] = [
            Row(float(t), float(h), float(r))
            for t, h, r in zip(points, ham_share, recall, strict=True)
        ]
    ham_held = float(caught(hold, ham).mean())
    if ham_held > max_ham_held:
        warnings.append(f"ham held or blocked {ham_held:.2%} exceeds the {max_ham_held:.2%} target")
    return Proposal(
        hold=hold,
        block=block,
        ham=int(ham.sum()),
        positives=positives,
        ham_held=ham_held,
        ham_blocked=float(caught(block, ham, block_probs).mean()),
        recall_held=recall_held,
        recall_blocked=recall_blocked,
        table=table,
        warnings=tuple(warnings),
    )
