"""Bar charts computed at build time: geometry only, drawn by a template.

The site draws charts as inline SVG from the numbers here
(``site/templates/_chart.svg.html``), so no chart library or JavaScript is needed
and no markup is built in Python.

>>> chart = bar_chart([("a", 10.0, None), ("b", 5.0, "x/")], width=300)
>>> [bar.length for bar in chart.bars]
[115.2, 57.6]
>>> chart.height
64
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


@dataclass
class Bar:
    """One bar: its label, value, link target (relative to the site root) and geometry."""

    label: str
    value: float
    href: str | None
    y: int
    length: float


@dataclass
class BarChart:
    """A horizontal bar chart: labels on the left, bars scaled to the largest value."""

    width: int
    height: int
    label_width: int
    bar_height: int
    row_height: int
    bar_area: int
    bars: list[Bar] = field(default_factory=list)


def bar_chart(
    items: Iterable[tuple[str, float, str | None]],
    *,
    width: int = 640,
    label_width: int = 100,
    row_height: int = 28,
    bar_height: int = 18,
    limit: int | None = None,
) -> BarChart:
    """Lay out ``(label, value, href)`` items as horizontal bars, in the given order.

    Bars are scaled so the largest value fills 60 % of the width beside the labels,
    leaving room to print the value after each bar.

    >>> bar_chart([], width=200).bars
    []
    >>> bar_chart([("x", 0.0, None)]).bars[0].length
    0.0
    """
    rows = list(items)[:limit] if limit else list(items)
    bar_area = max(width - label_width - 8, 10)
    largest = max((value for _, value, _ in rows), default=0.0)
    scale = (bar_area * 0.6 / largest) if largest > 0 else 0.0
    bars = [
        Bar(label=label, value=value, href=href, y=4 + index * row_height,
            length=round(max(value, 0.0) * scale, 1))
        for index, (label, value, href) in enumerate(rows)
    ]
    return BarChart(
        width=width,
        height=8 + len(bars) * row_height,
        label_width=label_width,
        bar_height=bar_height,
        row_height=row_height,
        bar_area=bar_area,
        bars=bars,
    )
