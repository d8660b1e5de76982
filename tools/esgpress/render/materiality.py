"""The double-materiality matrix as SVG, with labels that never overlap.

Impact materiality runs along the x axis, financial materiality up the y
axis; each material topic is a dot in its pillar's colour, labelled with its
name in the edition's language. The SVG is written once per edition into
``charts/materiality-matrix.svg`` and used by the site and the PDF alike,
like every chart (:mod:`esgpress.render.charts`); text stays ``<text>``.

Labels are placed by the classic point-feature method (candidate positions
around each point, tried in order of preference, greedy in order of rank; see
Christensen, Marks and Shieber, "An empirical study of algorithms for point
feature label placement", 1995): a candidate is taken only if its box stays
inside the plot and clear of every label already placed and of every dot.
When none of the close positions is free, positions further out are tried
with a leader line back to the dot; an English label that still finds no
room is broken into two lines; then the free spot of the plot nearest the
dot (a grid search), with a leader line. A label that finds no room at all
becomes a number beside its dot (placed the same way) and a numbered key
under the plot ("1 Supply chain"); only when even the number finds no room
is the matrix refused, with a message naming the topics. Widths are measured with the edition's own
font (matplotlib's font metrics), so the boxes are the boxes the reader sees;
tests/test_materiality.py re-measures every label of the written SVG and
checks that no two boxes meet, in all three editions.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from esgpress.core.errors import EsgError
from esgpress.data.model import Topic

if TYPE_CHECKING:
    from esgpress.editions.i18n import Localizer

#: Canvas and plot area (SVG user units = CSS px).
WIDTH, HEIGHT = 640, 450
LEFT, RIGHT, TOP, BOTTOM = 56, 628, 16, 392
#: Label font size and line height; dot radius.
FONT_SIZE = 11.0
LINE_HEIGHT = 13.0
DOT = 5.0
#: Line height of the numbered key under the plot (labels that found no room).
KEY_LINE = 14.0
#: Clearance kept around every label box.
PAD = 2.0
#: Pillar colours: environment, social, governance.
PILLAR_COLOURS = {"E": "#3f8f4f", "S": "#ff6900", "G": "#4f6d8f"}
#: Layout font per edition (as the other charts).
LAYOUT_FONT = {
    "zh-Hant": "Noto Sans CJK HK",
    "zh-Hans": "Noto Sans CJK SC",
    "en": "Noto Sans CJK SC",
}
FONT_STACK = {
    "zh-Hant": "'Noto Sans CJK HK', 'Source Han Sans HK', 'PingFang HK', sans-serif",
    "zh-Hans": "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', sans-serif",
    "en": "'Noto Sans CJK SC', 'Source Han Sans SC', Arial, sans-serif",
}
WORDS = {
    "impact": {"zh": "影响重要性", "zh-Hant": "影響重要性", "en": "Impact materiality"},
    "financial": {"zh": "财务重要性", "zh-Hant": "財務重要性", "en": "Financial materiality"},
    "low": {"zh": "低", "zh-Hant": "低", "en": "low"},
    "high": {"zh": "高", "zh-Hant": "高", "en": "high"},
    "E": {"zh": "环境", "zh-Hant": "環境", "en": "Environmental"},
    "S": {"zh": "社会", "zh-Hant": "社會", "en": "Social"},
    "G": {"zh": "管治", "zh-Hant": "管治", "en": "Governance"},
}

Box = tuple[float, float, float, float]


def word(key: str, edition: str) -> str:
    """Return a word the matrix prints, in the edition's language."""
    table = WORDS[key]
    return table.get(edition, table["zh"] if edition != "en" else table["en"])


@functools.lru_cache(maxsize=4096)
def text_width(text: str, edition: str, size: float = FONT_SIZE) -> float:
    """Width of ``text`` set in the edition's layout font at ``size`` (SVG units)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=LAYOUT_FONT[edition], size=size)
    width, _h, _d = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def text_box(lines: Sequence[str], x: float, y: float, anchor: str, edition: str) -> Box:
    """Return the box of a label with its first baseline at ``y`` (x0, y0, x1, y1; y down)."""
    width = max(text_width(line, edition) for line in lines)
    x0 = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    top = y - FONT_SIZE * 0.88  # ascent of Noto Sans CJK
    bottom = y + LINE_HEIGHT * (len(lines) - 1) + FONT_SIZE * 0.12
    return (x0, top, x0 + width, bottom)


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    """Whether two boxes meet (closer than ``pad``)."""
    return not (
        a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1]
    )


@dataclass
class Placed:
    """A label as drawn: lines, first baseline, anchor, box and an optional leader line."""

    topic: Topic
    lines: list[str]
    x: float
    y: float
    anchor: str
    box: Box
    leader: bool
    #: The key number when the label did not fit and the key under the plot names it.
    key: int | None = None


def position(value: float, low: float, high: float, a: float, b: float) -> float:
    """Map a score onto the axis between ``a`` and ``b``."""
    return a + (value - low) / (high - low) * (b - a) if high > low else (a + b) / 2


def dot_positions(topics: Sequence[Topic]) -> dict[str, tuple[float, float]]:
    """Where each topic's dot goes: scores scaled to the plot with a margin."""
    xs = [float(t.impact or 0) for t in topics]
    ys = [float(t.financial or 0) for t in topics]
    lo_x, hi_x = min(xs) - 0.3, max(xs) + 0.2
    lo_y, hi_y = min(ys) - 0.3, max(ys) + 0.2
    return {
        t.id: (
            position(float(t.impact or 0), lo_x, hi_x, LEFT + 20, RIGHT - 20),
            position(float(t.financial or 0), lo_y, hi_y, BOTTOM - 16, TOP + 16),
        )
        for t in topics
    }


def _candidates(px: float, py: float) -> list[tuple[float, float, str, bool]]:
    """Label anchor points around a dot, nearest and most readable first."""
    out: list[tuple[float, float, str, bool]] = []
    for dist in (8.0, 20.0, 34.0, 50.0, 70.0):
        near = dist == 8.0
        out += [
            (px + dist, py + 4, "start", not near),
            (px - dist, py + 4, "end", not near),
            (px, py - dist - 2, "middle", not near),
            (px, py + dist + 10, "middle", not near),
            (px + dist * 0.8, py - dist * 0.8, "start", not near),
            (px - dist * 0.8, py - dist * 0.8, "end", not near),
            (px + dist * 0.8, py + dist * 0.8 + 8, "start", not near),
            (px - dist * 0.8, py + dist * 0.8 + 8, "end", not near),
        ]
    return out


def _split(label: str) -> list[str]:
    """Break an English label into two lines at the space nearest the middle."""
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    if not spaces:
        return [label]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1 :]]


def place_labels(
    topics: Sequence[Topic], dots: dict[str, tuple[float, float]], loc: Localizer
) -> list[Placed]:
    """Place every label clear of the others and of every dot.

    A label with no room becomes a key number (see the module text); raise
    :class:`EsgError` only when even a number cannot be placed.
    """
    edition = loc.edition
    obstacles: list[Box] = [(x - DOT, y - DOT, x + DOT, y + DOT) for x, y in dots.values()]
    placed: list[Placed] = []
    lost: list[str] = []
    for topic in sorted(topics, key=lambda t: (t.rank or 999, t.id)):
        label = loc.text(topic.label)
        px, py = dots[topic.id]
        shapes = [[label]] + ([_split(label)] if " " in label else [])
        found = _near(topic, shapes, px, py, obstacles, edition)
        if found is None:
            found = _anywhere(
                topic, [label] if " " not in label else _split(label), px, py, obstacles, edition
            )
        if found is None:
            key = 1 + sum(1 for p in placed if p.key is not None)
            number = [str(key)]
            found = _near(topic, [number], px, py, obstacles, edition) or _anywhere(
                topic, number, px, py, obstacles, edition
            )
            if found is not None:
                found.key = key
        if found is None:
            lost.append(topic.id)
            continue
        placed.append(found)
        obstacles.append(found.box)
    if lost:
        raise EsgError(
            "the materiality matrix has no room for the labels of "
            + ", ".join(f"'{t}'" for t in lost)
            + ", not even as key numbers: spread the topics' scores in data/topics.yaml "
            "or set scores: none for a ranked list"
        )
    return placed


def _near(
    topic: Topic,
    shapes: list[list[str]],
    px: float,
    py: float,
    obstacles: list[Box],
    edition: str,
) -> Placed | None:
    """Return the first candidate position around the dot that is inside the plot and free."""
    for lines in shapes:
        for x, y, anchor, leader in _candidates(px, py):
            if len(lines) > 1 and anchor == "middle" and y < py:
                y -= LINE_HEIGHT  # a two-line label above the dot ends above it
            box = text_box(lines, x, y, anchor, edition)
            if box[0] < LEFT or box[2] > RIGHT or box[1] < TOP or box[3] > BOTTOM:
                continue
            if any(overlaps(box, o, PAD) for o in obstacles):
                continue
            return Placed(topic, lines, x, y, anchor, box, leader)
    return None


def _anywhere(
    topic: Topic, lines: list[str], px: float, py: float, obstacles: list[Box], edition: str
) -> Placed | None:
    """Last resort: the free spot of the plot nearest the dot (a grid search), with a leader.

    Every spot of a 4-unit grid is tested against every obstacle at once
    (numpy), so a crowded matrix of hundreds of topics stays quick.
    """
    import numpy as np

    width = max(text_width(line, edition) for line in lines)
    height = FONT_SIZE + LINE_HEIGHT * (len(lines) - 1)
    xs, ys = np.meshgrid(
        np.arange(int(LEFT), int(RIGHT - width), 4, dtype=float),
        np.arange(int(TOP + FONT_SIZE), int(BOTTOM - height + FONT_SIZE), 4, dtype=float),
        indexing="ij",
    )
    x, y = xs.ravel(), ys.ravel()
    first = text_box(lines, 0.0, 0.0, "start", edition)  # the box of a label at (0, 0)
    boxes = np.stack([x + first[0], y + first[1], x + first[2], y + first[3]], axis=1)
    inside = (boxes[:, 2] <= RIGHT) & (boxes[:, 3] <= BOTTOM)
    obs = np.asarray(obstacles, dtype=float).reshape(-1, 4)
    clear = ~(
        (boxes[:, None, 2] + PAD > obs[None, :, 0])
        & (obs[None, :, 2] + PAD > boxes[:, None, 0])
        & (boxes[:, None, 3] + PAD > obs[None, :, 1])
        & (obs[None, :, 3] + PAD > boxes[:, None, 1])
    ).any(axis=1)
    free = np.flatnonzero(inside & clear)
    if free.size == 0:
        return None
    distance = (x[free] + width / 2 - px) ** 2 + (y[free] - py) ** 2
    best = int(free[int(np.argmin(distance))])
    bx, by = float(x[best]), float(y[best])
    return Placed(topic, lines, bx, by, "start", text_box(lines, bx, by, "start", edition), True)


def matrix_svg(topics: Sequence[Topic], loc: Localizer, title: str) -> str:
    """Draw the matrix of the topics that have both scores."""
    edition = loc.edition
    scored = [t for t in topics if t.impact is not None and t.financial is not None]
    dots = dot_positions(scored)
    labels = place_labels(scored, dots, loc)
    keyed = sorted((p for p in labels if p.key is not None), key=lambda p: p.key or 0)
    height = HEIGHT + (KEY_LINE * ((len(keyed) + 1) // 2) + 6 if keyed else 0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" font-family="{FONT_STACK[edition]}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{RIGHT - LEFT}" height="{BOTTOM - TOP}" '
        'fill="#fafafa" stroke="#bdbdbd" stroke-width="0.8"/>',
    ]
    mid_x, mid_y = (LEFT + RIGHT) / 2, (TOP + BOTTOM) / 2
    out.append(
        f'<path d="M{mid_x} {TOP}V{BOTTOM}M{LEFT} {mid_y}H{RIGHT}" '
        'stroke="#e0e0e0" stroke-dasharray="4 3" fill="none"/>'
    )
    for p in labels:
        px, py = dots[p.topic.id]
        if p.leader:
            bx = min(max(px, p.box[0]), p.box[2])
            by = min(max(py, p.box[1]), p.box[3])
            out.append(
                f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
                'stroke="#9e9e9e" stroke-width="0.6"/>'
            )
    for t in scored:
        px, py = dots[t.id]
        out.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{DOT}" fill="{PILLAR_COLOURS[t.pillar]}" '
            f'data-topic="{escape(t.id)}"/>'
        )
    for p in labels:
        spans = "".join(
            f'<tspan x="{p.x:.1f}" dy="{0 if i == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
            for i, line in enumerate(p.lines)
        )
        out.append(
            f'<text class="matrix-label" x="{p.x:.1f}" y="{p.y:.1f}" font-size="{FONT_SIZE}" '
            f'text-anchor="{p.anchor}" fill="#333333" '
            f'data-topic="{escape(p.topic.id)}">{spans}</text>'
        )
    out += _axes(edition)
    for i, p in enumerate(keyed):  # two columns under the legend
        x = LEFT + (i % 2) * (RIGHT - LEFT) / 2
        y = HEIGHT + 4 + KEY_LINE * (i // 2)
        out.append(
            f'<text class="matrix-key" x="{x:.1f}" y="{y:.1f}" font-size="10" fill="#333333" '
            f'data-topic="{escape(p.topic.id)}">{p.key}  {escape(loc.text(p.topic.label))}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _axes(edition: str) -> list[str]:
    """Axis titles with low/high marks, and the pillar legend under the plot."""
    grey = 'fill="#757575" font-size="10"'
    out = [
        f'<text x="{LEFT}" y="{BOTTOM + 14}" {grey}>{word("low", edition)}</text>',
        f'<text x="{RIGHT}" y="{BOTTOM + 14}" text-anchor="end" {grey}>'
        f"{word('high', edition)} →</text>",
        f'<text x="{(LEFT + RIGHT) / 2}" y="{BOTTOM + 16}" text-anchor="middle" fill="#333333" '
        f'font-size="11">{escape(word("impact", edition))}</text>',
        f'<text transform="translate({LEFT - 30} {(TOP + BOTTOM) / 2}) rotate(-90)" '
        f'text-anchor="middle" fill="#333333" font-size="11">'
        f"{escape(word('financial', edition))} →</text>",
    ]
    x = float(LEFT)
    for pillar, colour in PILLAR_COLOURS.items():
        name = f"{pillar} {word(pillar, edition)}"
        out.append(f'<circle cx="{x + 5}" cy="{HEIGHT - 22}" r="{DOT}" fill="{colour}"/>')
        out.append(
            f'<text x="{x + 14}" y="{HEIGHT - 18}" font-size="10" fill="#333333">'
            f"{escape(name)}</text>"
        )
        x += 30 + text_width(name, edition, 10)
    return out
