"""A histogram of a count per subject as inline SVG, with marker lines (median, estimate).

The cohort report draws how many fields each subject still types: one vertical bar per value
(or per range of values when there are many), and dashed lines where the median, the 10th and
90th percentiles and the static estimate fall, so a reader sees at once whether the estimate
sits inside the cohort's distribution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from formmerge.report.charts import FONT_SIZE, TITLE_HEIGHT, text_width

__all__ = ["HISTOGRAM_WIDTH", "MAX_BINS", "Bin", "bins_of", "histogram"]

HISTOGRAM_WIDTH = 760
HISTOGRAM_HEIGHT = 300
MAX_BINS = 40
"""At most this many bars; a wider range of values is grouped into ranges."""
AXIS_HEIGHT = 34
LEFT_MARGIN = 48
MARKER_COLOURS: tuple[str, ...] = ("#1d4ed8", "#1d4ed8", "#a16207", "#b91c1c", "#6b7280")
"""Marker colours in the order markers are given: the cohort report passes the 10th and 90th
percentiles (blue), the static estimate (amber) and the median (red, drawn last, on top)."""
BAR_COLOUR = "#16a34a"
FONT_FAMILY = "system-ui, sans-serif"
"""For the chart as a file of its own; inside the report the page's font applies."""


@dataclass(frozen=True)
class Bin:
    """Values from ``low`` to ``high`` (both included) and how many subjects have one."""

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        """``"23"`` or ``"20–24"``."""
        return str(self.low) if self.low == self.high else f"{self.low}\u2013{self.high}"


def bins_of(
    values: Sequence[int], max_bins: int = MAX_BINS, extent: Sequence[int] = ()
) -> list[Bin]:
    """Integer bins covering every value from the smallest to the largest, empty ones too.

    ``extent``: more values the bins must reach (e.g. an estimate drawn as a marker), counted
    in no bin.
    """
    if not values:
        return []
    array = np.asarray(values, dtype=np.int64)
    low, high = min([int(array.min()), *extent]), max([int(array.max()), *extent])
    step = max(1, math.ceil((high - low + 1) / max_bins))
    counts = np.bincount((array - low) // step, minlength=(high - low) // step + 1)
    return [
        Bin(low + i * step, min(high, low + (i + 1) * step - 1), int(n))
        for i, n in enumerate(counts)
    ]


def histogram(
    title: str,
    bins: Sequence[Bin],
    markers: Mapping[str, float],
    x_label: str = "",
    width: int = HISTOGRAM_WIDTH,
    height: int = HISTOGRAM_HEIGHT,
) -> str:
    """A histogram as an ``<svg>`` element with a tooltip per bar.

    Args:
        title: drawn above the chart.
        bins: the bars, left to right (see :func:`bins_of`).
        markers: label to value, drawn as dashed vertical lines with their label.
        x_label: what the horizontal axis counts.
        width, height: the chart's size in pixels.
    """
    legend_h = 18 * max(1, math.ceil(len(markers) / 3))
    plot_top = TITLE_HEIGHT + legend_h + 6
    plot_h = height - plot_top - AXIS_HEIGHT
    plot_w = width - LEFT_MARGIN - 12
    n = max(1, len(bins))
    slot = plot_w / n
    top = max((b.count for b in bins), default=0) or 1
    low = bins[0].low if bins else 0
    step = bins[0].high - bins[0].low + 1 if bins else 1
    span = n * step  # the last bin may be cut short, the axis is not
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart histogram" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="{FONT_SIZE}" font-family="{FONT_FAMILY}">',
        '<rect width="100%" height="100%" fill="#fff"/>',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="15" font-weight="600" font-size="{FONT_SIZE + 2}">{escape(title)}</text>',
        f'<line x1="{LEFT_MARGIN}" y1="{plot_top + plot_h}" x2="{width - 12}" '
        f'y2="{plot_top + plot_h}" stroke="#9ca3af"/>',
        f'<text x="{LEFT_MARGIN - 6}" y="{plot_top + 10}" text-anchor="end">{top}</text>',
        f'<text x="{LEFT_MARGIN - 6}" y="{plot_top + plot_h}" text-anchor="end">0</text>',
    ]
    every = max(1, math.ceil(n / 20))  # label at most ~20 bars
    for i, b in enumerate(bins):
        h = plot_h * b.count / top
        x = LEFT_MARGIN + i * slot
        parts.append(
            f'<rect class="bar" x="{x + 1:.1f}" y="{plot_top + plot_h - h:.1f}" '
            f'width="{max(1.0, slot - 2):.1f}" height="{h:.1f}" fill="{BAR_COLOUR}">'
            f"<title>{escape(b.label)}: {b.count}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{plot_top + plot_h + 14}" '
                f'text-anchor="middle">{escape(b.label)}</text>'
            )
    if x_label:
        parts.append(
            f'<text x="{LEFT_MARGIN + plot_w / 2:.0f}" y="{height - 4}" '
            f'text-anchor="middle" fill="#6b7280">{escape(x_label)}</text>'
        )
    lx, ly = float(LEFT_MARGIN), TITLE_HEIGHT + 4
    for k, (label, value) in enumerate(markers.items()):
        colour = MARKER_COLOURS[k % len(MARKER_COLOURS)]
        if not math.isnan(value):
            x = LEFT_MARGIN + plot_w * (value + 0.5 - low) / span
            x = min(max(x, LEFT_MARGIN), LEFT_MARGIN + plot_w)
            parts.append(
                f'<line class="marker" x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" '
                f'y2="{plot_top + plot_h}" stroke="{colour}" stroke-width="2" '
                f'stroke-dasharray="5 3"><title>{escape(label)}</title></line>'
            )
        entry = f"{label}"
        size = 22 + text_width(entry) + 18
        if lx > LEFT_MARGIN and lx + size > width:
            lx, ly = float(LEFT_MARGIN), ly + 18
        parts.append(
            f'<line x1="{lx:.0f}" y1="{ly + 6}" x2="{lx + 16:.0f}" y2="{ly + 6}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        parts.append(f'<text x="{lx + 20:.0f}" y="{ly + 10}">{escape(entry)}</text>')
        lx += size
    parts.append("</svg>")
    return "".join(parts)
