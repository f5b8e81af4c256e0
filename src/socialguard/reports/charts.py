"""Bar charts as server-drawn SVG: no JavaScript, no CDN, readable when printed for a
governors' meeting. Each chart is paired with the table that holds the same numbers, which is
what a screen reader announces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 640, 300
LEFT, BOTTOM, TOP = 56, 34, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # month, e.g. "Nov"
    value: str  # shown above the bar and in the tooltip
    title: str  # "November 2026: 3"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT

    @property
    def summary(self) -> str:
        shown = [b.title for b in self.bars if b.value]
        return f"{self.title}. " + ("; ".join(shown) if shown else "Nothing in this period.")


def _nice_ceiling(value: float) -> float:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def bar_chart(
    title: str, series: list[tuple[date, float | int | None]], unit: str = ""
) -> BarChart:
    top = _nice_ceiling(max((v or 0 for _, v in series), default=0))
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 8) / max(len(series), 1)
    bars = []
    for n, (month, value) in enumerate(series):
        height = (value or 0) / top * plot_height
        shown = "" if value is None else (f"{value:g}")
        bars.append(
            Bar(
                x=round(LEFT + n * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=month.strftime("%b"),
                value="" if value in (None, 0) and not unit else shown,
                title=f"{month:%B %Y}: {shown or 'none'}{' ' + unit if unit and shown else ''}",
            )
        )
    ticks = tuple(
        Tick(y=round(HEIGHT - BOTTOM - plot_height * f, 1), label=f"{top * f:g}")
        for f in (0, 0.5, 1)
    )
    return BarChart(title=title, unit=unit, bars=tuple(bars), ticks=ticks)
