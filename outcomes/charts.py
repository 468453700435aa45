"""Charts drawn as SVG on the server: plain data in, markup out, no ORM and no JavaScript.

Why server-rendered SVG and not a charting library: the pages must keep the strict CSP (no
inline script, no inline style) and print; an SVG built here needs no script at all, prints as
it is shown, and costs nothing to load. Every chart carries its text alternative (``<title>``
and ``<desc>`` referenced by ``aria-labelledby``), writes its values beside the marks (no
meaning by colour alone: series also differ by marker shape and are named at their end), and is
followed on the page by the same figures as a table. Colours are the Okabe-Ito palette (told
apart with the common colour-vision deficiencies), drawn with presentation attributes (CSP
allows them; ``style`` attributes it would not).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Okabe & Ito (2008), "Color Universal Design": blue, vermillion, bluish green, orange,
#: reddish purple, sky blue, yellow (dark enough on white: yellow last)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle", "square")
INK = "#212529"
GRID = "#ADB5BD"
DASH = "\u2013"
_ids = itertools.count(1)


@dataclass
class Chart:
    svg: SafeString
    title: str
    description: str


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.2f}".replace(",", "\u202f")


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Chart:
    n = next(_ids)
    head = (
        f'<svg class="outcomes-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-{n}-title chart-{n}-desc" focusable="false">'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>'
    )
    return Chart(mark_safe(head + "".join(body) + "</svg>"), title, desc)  # noqa: S308


def bar_chart(title: str, items: list[tuple[str, float]], *, unit: str = "", fmt=None) -> Chart:
    """Horizontal bars, one per (label, value), each with its value written at its end."""
    fmt = fmt or _fmt
    label_w, bar_w, row_h = 210, 330, 26
    width, height = label_w + bar_w + 110, max(1, len(items)) * row_h + 10
    top = max((v for _l, v in items), default=0) or 1
    body = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        w = max(0.0, float(value)) / float(top) * bar_w
        text = fmt(value) + (f" {unit}" if unit else "")
        short = label if len(label) <= 32 else label[:31] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{INK}">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="13" fill="{INK}">{escape(text)}</text>'
        )
    if not items:
        body.append(f'<text x="10" y="22" font-size="13" fill="{INK}">{DASH}</text>')
    desc = "; ".join(f"{label}: {fmt(value)}{' ' + unit if unit else ''}" for label, value in items)
    return _svg(width, height, title, desc or DASH, body)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" fill="{colour}"/>'
    if shape == "cross":
        return (
            f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} '
            f'L{x + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2.5"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'


def _spread(ends: list[tuple[float, float, str]], *, gap: float, lowest: float):
    """The series' end labels moved apart vertically so that none overlaps the one above it
    (series ending on the same value would otherwise print their names on top of each other)."""
    placed = []
    for py, px, name in sorted(ends):
        if placed and py - placed[-1][0] < gap:
            py = placed[-1][0] + gap
        placed.append((py, px, name))
    for i in range(len(placed) - 1, -1, -1):  # and back up from the bottom of the plot
        limit = lowest if i == len(placed) - 1 else placed[i + 1][0] - gap
        if placed[i][0] > limit:
            placed[i] = (limit, *placed[i][1:])
    return placed


def line_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    reference: float | None = None,
    reference_label: str = "",
    fmt=None,
) -> Chart:
    """Lines over ``labels`` (months or years), one per named series, each with its own colour
    and marker shape and its name at its last point; ``reference`` draws a dashed line (e.g. the
    return coefficient of 1.00)."""
    fmt = fmt or _fmt
    left, right, top_pad, bottom = 48, 150, 14, 40
    plot_w = max(240, 46 * max(1, len(labels)))
    plot_h = 200
    width, height = left + plot_w + right, top_pad + plot_h + bottom
    values = [v for _n, vs in series for v in vs if v is not None]
    if reference is not None:
        values.append(reference)
    top = max(values, default=0) or 1
    step = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0

    def x(i):
        return left + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v):
        return top_pad + plot_h - float(v) / float(top) * plot_h

    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" stroke="{GRID}"/>',
        f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end" font-size="11" fill="{INK}">{escape(fmt(top))}</text>',
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end" font-size="11" fill="{INK}">0</text>',
    ]
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            body.append(
                f'<text x="{x(i):.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" font-size="11" fill="{INK}">{escape(label)}</text>'
            )
    if reference is not None:
        body.append(
            f'<line x1="{left}" y1="{y(reference):.1f}" x2="{left + plot_w}" y2="{y(reference):.1f}" '
            f'stroke="{INK}" stroke-dasharray="5 4"/>'
            f'<text x="{left + plot_w + 6}" y="{y(reference) + 4:.1f}" font-size="11" fill="{INK}">{escape(reference_label)}</text>'
        )
    ends = []  # (y, x, name) of each series' last point: its name is written there
    for (name, vs), colour, shape in zip(
        series, itertools.cycle(PALETTE), itertools.cycle(MARKERS), strict=False
    ):
        points = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            path = " ".join(
                f"{'M' if k == 0 else 'L'}{px:.1f},{py:.1f}" for k, (px, py) in enumerate(points)
            )
            body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body.extend(_marker(shape, px, py, colour) for px, py in points)
        if points:
            ends.append((points[-1][1], points[-1][0], name))
    body.extend(
        f'<text x="{px + 8:.1f}" y="{py + 4:.1f}" font-size="12" fill="{INK}">{escape(name)}</text>'
        for py, px, name in _spread(ends, gap=14, lowest=top_pad + plot_h)
    )
    parts = []
    for name, vs in series:
        shown = ", ".join(
            f"{label} {fmt(v)}" for label, v in zip(labels, vs, strict=False) if v is not None
        )
        parts.append(f"{name}: {shown or DASH}")
    return _svg(width, height, title, "; ".join(parts) or DASH, body)
