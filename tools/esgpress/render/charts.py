"""Trend charts as SVG: the same file on the microsite and in the PDF.

A chapter calls ``chart(...)``; the render records a spec (slug, KPI ids,
kind, years, title) and :func:`esgpress.render.write.write_charts` draws one SVG per spec with
matplotlib's SVG backend (the shared look is :mod:`esgpress.render.chartstyle`).
Choices that matter for a published report:

- **Text stays text** (``svg.fonttype = "none"``): labels are ``<text>``
  elements a reader can select and search, and WeasyPrint and browsers set
  them in the edition's font. The font stack names the regional Noto CJK face
  (HK for zh-Hant, SC for zh-Hans), so Han glyph shapes follow the edition.
- **Deterministic output**: a fixed ``svg.hashsalt`` and no date or creator in
  the metadata, so rebuilding an unchanged report gives byte-identical files.
- **Missing values are never zero**: a year without a figure draws no bar
  and breaks the line; a stack with a missing part prints no total.
- Numbers on axes and bars use the report's own formatting
  (:func:`esgpress.editions.formatting.format_number`), units come from the unit
  catalogue in the edition's language.

The style is sober on purpose: greys for comparison years, the accent colour
(orange, as on the site) only for the report year or the first series.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from esgpress.data.model import Dataset, Indicator
from esgpress.editions.formatting import format_number
from esgpress.render.chartalt import chart_alt
from esgpress.render.chartstyle import (
    FIGSIZE,
    INK,
    MUTED,
    add_legend,
    chart_series,
    hatch,
    number_of,
    series_colours,
    style_axes,
    text_width,
    units_and_labels,
    value_label,
    value_text,
    wrap_label,
    year_colours,
    year_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from esgpress.editions.i18n import Localizer

#: Font used to lay out the text, per edition (must be installed at build time).
LAYOUT_FONT = {
    "zh-Hant": "Noto Sans CJK HK",
    "zh-Hans": "Noto Sans CJK SC",
    "en": "Noto Sans CJK SC",
}

#: CSS font stack written into the SVG, per edition: the layout font first, then
#: what readers without Noto have, so text is never drawn in a Japanese face.
FONT_STACK = {
    "zh-Hant": "'Noto Sans CJK HK', 'Source Han Sans HK', 'PingFang HK', "
    "'Microsoft JhengHei', sans-serif",
    "zh-Hans": "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', sans-serif",
    "en": "'Noto Sans CJK SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif",
}

KINDS = ("bar", "line", "stacked")


def rc_params(edition: str) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "esgpress",
        "svg.image_inline": True,
        "font.family": [LAYOUT_FONT[edition]],
        "font.size": 10,
        "axes.edgecolor": "#bdbdbd",
        "axes.labelcolor": MUTED,
        "axes.linewidth": 0.8,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": MUTED,
        "text.color": INK,
        "legend.frameon": False,
        "path.simplify": False,
    }


def draw_bar(
    ax: Axes, inds: Sequence[Indicator], years: Sequence[int], loc: Localizer, room: float = 1.0
) -> tuple[list[Any], list[str]]:
    """Bars grouped by indicator, one bar per year; the report year in the accent colour."""
    n_years = len(years)
    width = min(0.8 / max(n_years, 1), 0.28)
    # The report year (last) in the accent colour, earlier years ever darker greys.
    colours = year_colours(loc, n_years)
    few = len(inds) * n_years <= 12
    # Value labels that are wider than their bar would run into the neighbours:
    # then only the report year (the last bar of a group, next to the gap) is labelled.
    texts = [
        format_number(c.number, ind.decimals_for(c), loc.edition)
        for ind in inds
        for y in years
        if (c := ind.values.get(y)) is not None and c.number is not None
    ]
    bar_pt = width * 0.92 * FIGSIZE[0] * room * 72 * 0.85 / max(len(inds), 1)
    label_pt = max((text_width(t, 8.5) for t in texts), default=0.0)
    all_labels = label_pt <= bar_pt * 1.1
    handles: list[Any] = []
    for j, year in enumerate(years):
        xs, hs = [], []
        for i, ind in enumerate(inds):
            v = number_of(ind.values.get(year))
            x = i + (j - (n_years - 1) / 2) * width
            if v is None:
                ax.text(x, 0, "—", ha="center", va="bottom", fontsize=9, color=MUTED)
                continue
            xs.append(x)
            hs.append(v)
            cell = ind.values[year]
            if few and cell.number is not None and (all_labels or year == years[-1]):
                value_label(
                    ax,
                    format_number(cell.number, ind.decimals_for(cell), loc.edition),
                    (x, v),
                    2,
                    INK if year == years[-1] else MUTED,
                )
        bars = ax.bar(
            xs,
            hs,
            width=width * 0.92,
            color=colours[j],
            hatch=hatch(n_years - 1 - j) or None,
            edgecolor="white",
            linewidth=0,
        )
        handles.append(bars)
    # Wrap labels to the room each group has on the axis (about 10 pt per Han character).
    width_chars = max(3, min(16, int(FIGSIZE[0] * 72 * 0.85 / max(len(inds), 1) / 10)))
    ax.set_xticks(
        range(len(inds)),
        [wrap_label(loc.shown(i.label), loc.edition, width_chars, i.label.zh) for i in inds],
    )
    if len(inds) == 1:
        ax.set_xticks(
            [(j - (n_years - 1) / 2) * width for j in range(n_years)],
            [year_label(y, loc) for y in years],
        )
        return [], []
    return handles, [year_label(y, loc) for y in years]


def draw_line(
    ax: Axes, inds: Sequence[Indicator], years: Sequence[int], labels: list[str], loc: Localizer
) -> tuple[list[Any], list[str]]:
    """One line per indicator over the years; gaps where a year has no figure."""
    handles: list[Any] = []
    palette = series_colours(loc, len(inds))
    for k, ind in enumerate(inds):
        ys = [number_of(ind.values.get(y)) for y in years]
        data = [math.nan if v is None else v for v in ys]
        colour = palette[k]
        (line,) = ax.plot(
            range(len(years)),
            data,
            color=colour,
            linewidth=2.0 if k == 0 else 1.6,
            linestyle="--" if hatch(k) else "-",
            marker="o",
            markersize=4.5,
            markerfacecolor="white",
            markeredgewidth=1.6,
        )
        handles.append(line)
        last = max((i for i, v in enumerate(ys) if v is not None), default=None)
        cell = ind.values[years[last]] if last is not None else None
        top = ys[last] if last is not None else None
        if (
            last is not None
            and top is not None
            and cell is not None
            and cell.number is not None
            and len(inds) <= 4
        ):
            value_label(
                ax,
                format_number(cell.number, ind.decimals_for(cell), loc.edition),
                (last, top),
                7,
                colour if k == 0 else INK,
            )
    ax.set_xticks(range(len(years)), [year_label(y, loc) for y in years])
    ax.set_xlim(-0.4, len(years) - 0.6)
    ax.margins(y=0.18)
    return handles, labels


def draw_stacked(
    ax: Axes,
    inds: Sequence[Indicator],
    total: Indicator | None,
    years: Sequence[int],
    labels: list[str],
    loc: Localizer,
) -> tuple[list[Any], list[str]]:
    """Stacked bars by year, with the total on top (the published one when there is one).

    Without a published total, the sum is printed only when every part has a figure.
    """
    bottoms = [0.0] * len(years)
    complete = [True] * len(years)
    handles: list[Any] = []
    palette = series_colours(loc, len(inds))
    for k, ind in enumerate(inds):
        vals = [number_of(ind.values.get(y)) for y in years]
        xs = [i for i, v in enumerate(vals) if v is not None]
        hs = [v for v in vals if v is not None]
        for i, v in enumerate(vals):
            if v is None:
                complete[i] = False
        bars = ax.bar(
            xs,
            hs,
            bottom=[bottoms[i] for i in xs],
            width=0.5,
            color=palette[k],
            hatch=hatch(k) or None,
            linewidth=0.6,
            edgecolor="white",
        )
        for i, v in zip(xs, hs, strict=True):
            bottoms[i] += v
        handles.append(bars)
    for i, year in enumerate(years):
        cell = total.values.get(year) if total is not None else None
        if cell is not None and cell.is_number and cell.number is not None:
            text = format_number(cell.number, total.decimals_for(cell), loc.edition)  # type: ignore[union-attr]
        elif total is None and complete[i] and bottoms[i]:
            text = value_text(bottoms[i], max(ind.decimals for ind in inds), loc.edition)
        else:
            continue
        value_label(ax, text, (i, bottoms[i]), 3, INK)
    ax.set_xticks(range(len(years)), [year_label(y, loc) for y in years])
    ax.set_xlim(-0.6, len(years) - 0.4)
    return handles, labels


#: A series whose largest figure is under this share of another's is dwarfed on a
#: shared axis: the chart is drawn as small multiples, one axis per indicator.
DWARFED = 0.1


def dwarfed(inds: Sequence[Indicator], years: Sequence[int]) -> bool:
    """Whether one series would be unreadable on the axis of another (7,424.76 t beside 1.26 Mt)."""
    tops = [
        max((abs(v) for y in years if (v := number_of(i.values.get(y))) is not None), default=0.0)
        for i in inds
    ]
    tops = [t for t in tops if t > 0]
    return len(tops) > 1 and min(tops) < DWARFED * max(tops)


def draw_panels(
    fig: Any,
    kind: str,
    inds: Sequence[Indicator],
    years: Sequence[int],
    unit: str | None,
    loc: Localizer,
) -> None:
    """Small multiples: one panel per indicator, each with its own scale, titled by its label."""
    columns = min(len(inds), 3)
    rows = -(-len(inds) // columns)
    fig.set_size_inches(FIGSIZE[0], FIGSIZE[1] * (0.85 + 0.15 * rows) * rows**0.5)
    sep = "（{}）" if loc.edition != "en" else " ({})"
    for k, ind in enumerate(inds):
        ax = fig.add_subplot(rows, columns, k + 1)
        if kind == "bar":
            draw_bar(ax, [ind], years, loc, room=1 / columns)
        else:
            draw_line(ax, [ind], years, [], loc)
        shown = loc.unit_display(ind.unit).text
        width = 12 if columns > 1 else 24
        lines = wrap_label(loc.shown(ind.label), loc.edition, width, ind.label.zh)
        if shown:  # the unit after the label, on a line of its own when the last one is full
            last = lines.split("\n")[-1]
            room = width if loc.edition != "en" else width * 2
            unit_text = sep.format(shown)
            lines += "\n" + unit_text.strip() if len(last) + len(unit_text) > room else unit_text
        style_axes(ax, loc, None, ind.decimals)
        ax.tick_params(axis="x", labelsize=8.5)
        ax.set_title(lines, fontsize=9, color=INK, pad=8)
        if kind != "line":
            ax.set_ylim(bottom=0)
            ax.margins(y=0.15)


def render_chart(spec: dict[str, Any], dataset: Dataset, loc: Localizer) -> str:
    """Draw one chart spec and return the SVG text."""
    import io

    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    kind = str(spec.get("kind", "bar"))
    if kind not in KINDS:
        raise ValueError(f"chart kind {kind!r} is not one of {', '.join(KINDS)}")
    picked = [dataset.indicators[i] for i in spec["ids"] if i in dataset.indicators]
    inds, total = chart_series(kind, picked)
    years = sorted(int(y) for y in spec.get("years") or dataset.report.years)
    unit, labels = units_and_labels(inds, loc)
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    with rc_context(rc_params(loc.edition)):  # type: ignore[arg-type]
        fig = Figure(figsize=FIGSIZE, layout=ConstrainedLayoutEngine(w_pad=0.06, h_pad=0.06))
        FigureCanvasSVG(fig)
        if kind != "stacked" and dwarfed(inds, years):
            draw_panels(fig, kind, inds, years, unit, loc)
        else:
            ax = fig.add_subplot()
            if kind == "bar":
                handles, legend_labels = draw_bar(ax, inds, years, loc)
            elif kind == "line":
                handles, legend_labels = draw_line(ax, inds, years, labels, loc)
            else:
                handles, legend_labels = draw_stacked(ax, inds, total, years, labels, loc)
            decimals = max((i.decimals for i in inds), default=0)
            style_axes(ax, loc, unit, decimals)
            add_legend(fig, handles, legend_labels, loc.edition)
            if kind != "line":
                ax.set_ylim(bottom=0)
                ax.margins(y=0.12)
        buf = io.StringIO()
        fig.savefig(
            buf,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return _finish(
        buf.getvalue(), loc.edition, str(spec.get("title", "")), chart_alt(spec, dataset, loc)
    )


_FONT_DECL = re.compile(r"font-family: ?'[^']*'(?:, ?'[^']*')*(?:, ?[\w-]+)?")


def _finish(svg: str, edition: str, title: str, alt: str = "") -> str:
    """Name the edition's font stack, add the title, the figures (``alt``) and the language."""
    from html import escape

    svg = _FONT_DECL.sub("font-family: " + FONT_STACK[edition], svg)
    lang = {"zh-Hant": "zh-Hant-HK", "zh-Hans": "zh-Hans", "en": "en"}[edition]
    svg = svg.replace(
        "<svg ", f'<svg xml:lang="{lang}" role="img" aria-label="{escape(alt or title)}" ', 1
    )
    if title:
        svg = re.sub(
            r"(<svg [^>]*>)",
            lambda m: (
                m.group(1)
                + f"\n <title>{escape(title)}</title>"
                + (f"\n <desc>{escape(alt)}</desc>" if alt else "")
            ),
            svg,
            count=1,
        )
    return svg
