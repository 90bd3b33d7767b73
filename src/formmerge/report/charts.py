"""Inline SVG bar charts, drawn without any script or external library.

A chart is a string of SVG markup that sits directly in the HTML report, so the report opens
offline and prints as it shows. Bars are horizontal so that long department names fit.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["PALETTE", "Series", "bar_chart", "text_width"]

PALETTE: dict[str, str] = {
    "before": "#9ca3af",
    "after_merge": "#60a5fa",
    "after_prefill": "#16a34a",
    "after": "#16a34a",
}
"""Bar colours by series name: grey before, blue after merging, green after prefill."""

CHART_WIDTH = 760
"""Width of a chart in pixels; the label column takes what the longest label needs."""
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 12
FONT_SIZE = 12
LEGEND_HEIGHT = 26
LEGEND_LINE = 18
TITLE_HEIGHT = 22
MAX_LABEL_WIDTH = 300
MAX_LABEL_SHARE = 0.4
"""The label column takes at most this share of the chart's width."""
VALUE_MARGIN = 48
"""Room right of the longest bar for its value label."""


@dataclass(frozen=True)
class Series:
    """One set of bars: a name (for the colour and legend), a legend label and the values."""

    name: str
    label: str
    values: Sequence[float]


def text_width(text: str, font_size: int = FONT_SIZE) -> float:
    """Approximate rendered width of ``text``: wide (CJK) characters count double."""
    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)
    return units * font_size * 0.55


def _fit(text: str, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits in ``width`` pixels."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "\u2026") > width:
        text = text[:-1]
    return text + "\u2026"


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:g}"


def _legend(series: Sequence[Series], left: float, width: int) -> tuple[list[str], int]:
    """The legend's SVG parts, from ``left`` on, wrapped onto more lines when it is too wide."""
    parts: list[str] = []
    x, y = left, TITLE_HEIGHT + 4
    for s in series:
        size = 16 + text_width(s.label) + 18
        if x > left and x + size > width:
            x, y = left, y + LEGEND_LINE
        colour = PALETTE.get(s.name, "#6b7280")
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16:.0f}" y="{y + 10}">{escape(s.label)}</text>')
        x += size
    return parts, y - TITLE_HEIGHT - 4 + LEGEND_HEIGHT


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    width: int = CHART_WIDTH,
) -> str:
    """A grouped horizontal bar chart as inline SVG.

    Args:
        title: the chart's title, drawn above it.
        categories: one label per group of bars (a bundle, a department).
        series: the bars of each group, in drawing order; NaN values draw no bar.
        unit: appended to the title, e.g. ``"fields"``.
        width: the chart's width in pixels.

    Returns:
        An ``<svg>`` element with a ``<title>`` for accessibility and one tooltip per bar.
    """
    longest = max((text_width(c) for c in categories), default=0) + 12
    label_w = min(MAX_LABEL_WIDTH, MAX_LABEL_SHARE * width, longest)
    plot_w = width - label_w - VALUE_MARGIN
    finite = [v for s in series for v in s.values if not math.isnan(v)]
    top = max(finite, default=0.0) or 1.0
    group_h = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    legend, legend_h = _legend(series, label_w, width)
    height = TITLE_HEIGHT + legend_h + len(categories) * (group_h + GROUP_GAP) + 4
    heading = f"{title} ({unit})" if unit else title
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="{FONT_SIZE}">',
        f"<title>{escape(heading)}</title>",
        f'<text x="0" y="15" font-weight="600" font-size="{FONT_SIZE + 2}">'
        f"{escape(heading)}</text>",
    ]
    parts.extend(legend)
    y0 = TITLE_HEIGHT + legend_h
    for i, category in enumerate(categories):
        gy = y0 + i * (group_h + GROUP_GAP)
        parts.append(
            f'<text x="{label_w - 8:.0f}" y="{gy + group_h / 2 + 4:.0f}" text-anchor="end">'
            f"<title>{escape(category)}</title>{escape(_fit(category, label_w - 10))}</text>"
        )
        for j, s in enumerate(series):
            value = float(s.values[i])
            by = gy + j * (BAR_HEIGHT + BAR_GAP)
            if math.isnan(value):
                continue
            w = plot_w * value / top
            colour = PALETTE.get(s.name, "#6b7280")
            tip = f"{category} - {s.label}: {_fmt(value)}"
            parts.append(
                f'<rect class="bar" x="{label_w:.0f}" y="{by}" width="{w:.1f}" '
                f'height="{BAR_HEIGHT}" fill="{colour}"><title>{escape(tip)}</title></rect>'
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{by + BAR_HEIGHT - 3}" fill="#374151">'
                f"{_fmt(value)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
