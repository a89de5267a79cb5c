"""Statistics as plain numbers and server-drawn SVG charts; no Flask, no JavaScript."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from markupsafe import Markup, escape

from service.moderation import Label, Status

AGE_BUCKETS: tuple[tuple[str, timedelta], ...] = (
    ("< 1 h", timedelta(hours=1)),
    ("1–6 h", timedelta(hours=6)),
    ("6–24 h", timedelta(days=1)),
    ("1–3 d", timedelta(days=3)),
    ("3–7 d", timedelta(days=7)),
    ("> 7 d", timedelta.max),
)


def age_histogram(ages: Iterable[timedelta]) -> list[int]:
    """How many waiting comments fall in each of AGE_BUCKETS."""
    counts = [0] * len(AGE_BUCKETS)
    for age in ages:
        counts[next(i for i, (_, limit) in enumerate(AGE_BUCKETS) if age < limit)] += 1
    return counts


def histogram(values: Iterable[float | None], bins: int = 10) -> list[int]:
    """Counts of scores in `bins` equal bins over [0, 1]; unscored comments are left out."""
    counts = [0] * bins
    for value in values:
        if value is not None:
            counts[min(int(value * bins), bins - 1)] += 1
    return counts


@dataclass
class Agreement:
    """How one model version's first decisions fared against moderators' later ones.

    Positive means "not fit to publish": the model held or blocked it, or a moderator rejected it.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, first: Status, label: Label) -> None:
        flagged, bad = first is not Status.PUBLISHED, label is not Label.HAM
        if flagged and bad:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif bad:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def decided(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def overturned(self) -> float | None:
        return (self.fp + self.fn) / self.decided if self.decided else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Series:
    name: str
    values: Sequence[float]
    css: str  # a class in dashboard.css that gives the colour (fill), so dark mode follows
    extra: dict[str, str] = field(default_factory=dict)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    width: int = 640,
    height: int = 220,
    percent: bool = False,
) -> Markup:
    """A bar chart (grouped, or stacked) as inline SVG with a title and a readable description."""
    pad_left, pad_bottom, pad_top = 40, 36, 10
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - pad_top
    totals = (
        [sum(s.values[i] for s in series) for i in range(len(categories))]
        if stacked
        else [max((s.values[i] for s in series), default=0) for i in range(len(categories))]
    )
    top = 1.0 if percent else max(max(totals, default=0), 1)
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.8 / (1 if stacked else max(len(series), 1))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 8}" '
        f'y2="{pad_top + plot_h}"/>',
        f'<text class="tick" x="{pad_left - 4}" y="{pad_top + 10}" text-anchor="end">'
        f"{'100%' if percent else _number(top)}</text>",
        f'<text class="tick" x="{pad_left - 4}" y="{pad_top + plot_h}" text-anchor="end">0</text>',
    ]
    label_every = max(1, len(categories) // 10)
    for i, category in enumerate(categories):
        x0 = pad_left + i * slot + slot * 0.1
        base = pad_top + plot_h
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / top
            x = x0 if stacked else x0 + j * bar_w
            y = base - h
            shown = f"{value:.0%}" if percent else _number(value)
            parts.append(
                f'<rect class="{s.css}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}"><title>{escape(category)} · {escape(s.name)}: '
                f"{shown}</title></rect>"
            )
            if stacked:
                base = y
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{x0 + slot * 0.4:.1f}" y="{height - 20}" '
                f'text-anchor="middle">{escape(category)}</text>'
            )
    legend_x = pad_left
    for s in series:
        parts.append(
            f'<rect class="{s.css}" x="{legend_x}" y="{height - 12}" width="10" '
            f'height="10"/><text class="tick" x="{legend_x + 14}" y="{height - 3}">'
            f"{escape(s.name)}</text>"
        )
        legend_x += 30 + 8 * len(s.name)
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
