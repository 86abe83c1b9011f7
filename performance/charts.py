"""Small server-rendered SVG charts: line charts for trends, grouped bars for grant spend.

Accessible and CSP-safe: ``role="img"`` with ``<title>`` and ``<desc>`` named by ``aria-labelledby``;
presentation attributes only (``fill``, ``stroke``, ``font-size``), never inline ``style``. Series differ
by dash pattern and marker as well as colour. Every chart is shown with a table of the same numbers.
Rendered charts are cached keyed on their data, so an unchanged chart is never drawn twice.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.fragments import get_or_render

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 72
INK, GREY, GRID = "#0b0c0c", "#505a5f", "#b1b4b6"
COLOURS = ("#1d70b8", "#d53880", "#00703c", "#f47738", "#0b0c0c", "#4c2c92")
DASHES = ("", "8 4", "2 4", "12 4 2 4", "", "4 2")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")
CACHE_SECONDS = 60 * 60
TICKS = 5
FONT = "Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


def _nice_max(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at least 5, so five intervals give round ticks."""
    if value <= 5:
        return 5.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent  # pragma: no cover


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def _svg_open(chart_id: str, title: str, description: str) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" focusable="false" '
        f'font-family="{FONT}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]


def _y_axis(top_value: float, suffix: str, prefix: str = "") -> tuple[list[str], float]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(TICKS + 1):
        v = top_value * i / TICKS
        y = TOP + plot_h - plot_h * i / TICKS
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" font-size="12" fill="{GREY}" text-anchor="end">'
            f"{escape(prefix)}{escape(_fmt(v))}{escape(suffix)}</text>"
        )
    return parts, plot_h


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _legend(names: Sequence[str], y: float, with_target: bool) -> list[str]:
    parts = []
    x = LEFT
    entries = [(name, COLOURS[i % 6], DASHES[i % 6], MARKERS[i % 6]) for i, name in enumerate(names)]
    if with_target:
        entries.append(("Target", GREY, "6 6", ""))
    for name, colour, dash, marker in entries:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{colour}" stroke-width="3"{dash_attr}/>'
        )
        if marker:
            parts.append(_marker(marker, x + 12, y, colour))
        parts.append(f'<text x="{x + 30}" y="{y + 4}" font-size="12" fill="{INK}">{escape(name)}</text>')
        x += 40 + 7 * len(name)
        if x > WIDTH - 120:
            x, y = LEFT, y + 18
    return parts


def _cached(kind: str, key_data: object, draw) -> SafeString:  # type: ignore[no-untyped-def]
    key = f"performance-chart:{kind}:" + hashlib.sha256(repr(key_data).encode()).hexdigest()
    return mark_safe(get_or_render(key, draw, CACHE_SECONDS))  # noqa: S308 - every piece of text in it is escaped above


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    suffix: str = "",
    target: float | None = None,
) -> SafeString:
    """A trend: one line per series over the labels; gaps where a value is missing or suppressed."""
    key = (chart_id, title, description, tuple(labels), tuple(series), suffix, target)

    def draw() -> str:
        values = [v for s in series for v in s.values if v is not None]
        top_value = _nice_max(max([*values, target or 0, 0]) * 1.05)
        parts = _svg_open(chart_id, title, description)
        axis, plot_h = _y_axis(top_value, suffix)
        parts += axis
        plot_w = WIDTH - LEFT - RIGHT
        step = plot_w / max(len(labels), 1)
        xs = [LEFT + step * (i + 0.5) for i in range(len(labels))]
        for x, label in zip(xs, labels, strict=True):
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" font-size="11" fill="{GREY}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )

        def y_of(v: float) -> float:
            return TOP + plot_h - plot_h * v / top_value

        if target is not None:
            y = y_of(target)
            parts.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GREY}" '
                f'stroke-width="2" stroke-dasharray="6 6"/>'
            )
        for i, s in enumerate(series):
            colour, dash, marker = COLOURS[i % 6], DASHES[i % 6], MARKERS[i % 6]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            run: list[str] = []
            for x, v in zip(xs, s.values, strict=True):
                if v is None:
                    if len(run) > 1:
                        parts.append(
                            f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                            f'stroke-width="3"{dash_attr}/>'
                        )
                    run = []
                    continue
                run.append(f"{x:.1f},{y_of(v):.1f}")
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="3"{dash_attr}/>'
                )
            for x, v in zip(xs, s.values, strict=True):
                if v is not None:
                    parts.append(_marker(marker, x, y_of(v), colour))
        if len(series) > 1 or target is not None:
            parts += _legend([s.name for s in series], HEIGHT - BOTTOM + 40, target is not None)
        parts.append("</svg>")
        return "".join(parts)

    return _cached("line", key, draw)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    suffix: str = "",
    prefix: str = "",
) -> SafeString:
    """Grouped bars: one group per label, one bar per series."""
    key = (chart_id, title, description, tuple(labels), tuple(series), suffix, prefix)

    def draw() -> str:
        values = [v for s in series for v in s.values if v is not None]
        top_value = _nice_max(max([*values, 0]) * 1.05)
        parts = _svg_open(chart_id, title, description)
        axis, plot_h = _y_axis(top_value, suffix, prefix)
        parts += axis
        plot_w = WIDTH - LEFT - RIGHT
        group_w = plot_w / max(len(labels), 1)
        bar_w = group_w * 0.8 / max(len(series), 1)
        for g, label in enumerate(labels):
            gx = LEFT + group_w * g + group_w * 0.1
            parts.append(
                f'<text x="{gx + group_w * 0.4:.1f}" y="{HEIGHT - BOTTOM + 18}" font-size="11" fill="{GREY}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
            for i, s in enumerate(series):
                v = s.values[g]
                if v is None:
                    continue
                h = plot_h * v / top_value
                parts.append(
                    f'<rect x="{gx + bar_w * i:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                    f'height="{h:.1f}" fill="{COLOURS[i % 6]}"/>'
                )
        x = LEFT
        y = HEIGHT - BOTTOM + 44
        for i, s in enumerate(series):
            parts.append(f'<rect x="{x}" y="{y - 6}" width="12" height="12" fill="{COLOURS[i % 6]}"/>')
            parts.append(
                f'<text x="{x + 18}" y="{y + 4}" font-size="12" fill="{INK}">{escape(s.name)}</text>'
            )
            x += 40 + 7 * len(s.name)
        parts.append("</svg>")
        return "".join(parts)

    return _cached("bar", key, draw)
