"""The look shared by every chart: colours, size, axes, legend, labels and number text.

Split from :mod:`esgpress.render.charts` (which picks the series and draws
each kind) so a change of style has one place: greys for comparison years,
the brand's accent colour (as on the site) only for the report year or the
first series, figures in the report's own number format.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from esgpress.data.model import Indicator, Value
from esgpress.editions.formatting import format_number, is_chinese
from esgpress.render.brand import (
    CHART_CONTRAST,
    GREYSCALE_STEP,
    LADDER,
    chart_colours,
    contrast_on_white,
    luminance_ratio,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from esgpress.editions.i18n import Localizer

#: Text and grid greys; the data colours come from :func:`year_colours` and
#: :func:`series_colours`.
INK = "#333333"
MUTED = "#757575"
GRID = "#e6e6e6"
#: Hatching of the series after the first :data:`~esgpress.render.brand.LADDER`
#: (their colours repeat, the hatch tells them apart).
HATCHES = ("", "////", "....", "xxxx")


def usable(colours: Sequence[str]) -> bool:
    """Whether colours all read on white (3:1) and stay apart in greyscale (1.5:1)."""
    return all(contrast_on_white(c) >= CHART_CONTRAST for c in colours) and all(
        luminance_ratio(a, b) >= GREYSCALE_STEP
        for i, a in enumerate(colours)
        for b in colours[i + 1 :]
    )


def series_colours(loc: Localizer, n: int) -> list[str]:
    """Colours of ``n`` series in order.

    ``brand.palette`` when its first ``n`` colours pass :func:`usable` (each
    3:1 on white, any two 1.5:1 apart in luminance), else the accent and a
    ladder of greys (:func:`esgpress.render.brand.chart_colours`).
    """
    palette = list(loc.dataset.report.brand.palette or ())
    if len(palette) >= n and usable(palette[:n]):
        return palette[:n]
    return chart_colours(loc.dataset.report.brand.accent, n)


def year_colours(loc: Localizer, n: int) -> list[str]:
    """Colours of ``n`` years, oldest first: the report year (last) in the accent."""
    return list(reversed(chart_colours(loc.dataset.report.brand.accent, n)))


def hatch(index: int) -> str:
    """Return the hatch of the ``index``-th colour: none in the first ladder, then patterns."""
    return HATCHES[min(index // LADDER, len(HATCHES) - 1)]


#: Size of every chart in inches (the site scales it to the column width).
FIGSIZE = (6.4, 3.2)


def number_of(value: Value | None) -> float | None:
    """Return a drawable float for a cell, or ``None`` when the cell has no figure."""
    if value is None or not value.is_number or value.number is None:
        return None
    return float(value.number)


def year_label(year: int, loc: Localizer) -> str:
    """Label a year on an axis or in a legend as the edition writes it (2024年, 2024)."""
    return f"{year}{loc.ui('year_suffix')}"


def words_of(text: str, source: str | None = None) -> list[str]:
    """Split a Chinese label into words (jieba), so a line break never falls inside one.

    ``source`` is the label as written in the data (Simplified, which jieba's
    dictionary reads best); when it has as many characters as ``text`` (the
    zh-Hant conversion of a label keeps its length), its word lengths cut
    ``text``.
    """
    from esgpress.editions.wordlevel import segmenter_for

    basis = source if source and len(source) == len(text) else text
    out, at = [], 0
    for word in segmenter_for(())(basis):
        out.append(text[at : at + len(word)])
        at += len(word)
    return out


def wrap_label(text: str, edition: str, width: int, source: str | None = None) -> str:
    """Break a long label into lines of about ``width`` characters, only between words.

    English breaks at spaces (a long word is never cut); Chinese between the
    words of :func:`words_of`, so 平均受訓小時數 never prints as 小/時數. A
    word longer than the line keeps a line of its own.
    """
    if not is_chinese(edition):
        return "\n".join(textwrap.wrap(text, width=width * 2, break_long_words=False)) or text
    if len(text) <= width:
        return text
    lines = [""]
    for word in words_of(text, source):
        if lines[-1] and len(lines[-1]) + len(word) > width:
            lines.append("")
        lines[-1] += word
    return "\n".join(line for line in lines if line)


def tick_decimals(step: float) -> int:
    """Decimals an axis needs to tell ticks ``step`` apart (0 to 4)."""
    if step <= 0 or not math.isfinite(step):
        return 0
    return max(0, min(4, -math.floor(math.log10(step) + 1e-9)))


def value_text(x: float, decimals: int, edition: str) -> str:
    """Format a drawn float (an axis tick, a computed sum) as the report formats figures."""
    return format_number(Decimal(repr(float(x))), decimals, edition)


def units_and_labels(inds: Sequence[Indicator], loc: Localizer) -> tuple[str | None, list[str]]:
    """One shared unit for the axis, or ``None`` and each series' label with its unit."""
    units = [loc.unit_display(i.unit).text for i in inds]
    labels = [loc.shown(i.label) for i in inds]
    if len(set(units)) <= 1:
        return (units[0] if units else None), labels
    sep = "（{}）" if is_chinese(loc.edition) else " ({})"
    return None, [lab + sep.format(u) if u else lab for lab, u in zip(labels, units, strict=True)]


def style_axes(ax: Axes, loc: Localizer, unit: str | None, decimals: int) -> None:
    """Give the axes the report's sober look: y grid only, formatted ticks, the unit on top."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0, pad=4)
    ax.tick_params(axis="x", length=0, pad=6)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=3))
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ticks = [t for t in ax.get_yticks() if math.isfinite(t)]
    step = (ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    dec = min(tick_decimals(step), max(decimals, tick_decimals(step)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: value_text(v, dec, loc.edition)))
    if unit:
        ax.set_title(unit, loc="left", fontsize=9, color=MUTED, pad=10)


def text_width(text: str, fontsize: float) -> float:
    """Estimate a width in points: full-width for Han characters, about half for the rest."""
    return sum(fontsize if ord(ch) > 0x2E80 else fontsize * 0.56 for ch in text)


def add_legend(fig: Figure, handles: list[Any], labels: list[str], edition: str) -> None:
    """Add a frameless legend under the plot, in as many columns as fit the width."""
    if len(labels) < 2:
        return
    fontsize = 9.0
    width_chars = 16 if is_chinese(edition) else 30
    wrapped = [wrap_label(lab, edition, width_chars) for lab in labels]
    widest = max(text_width(line, fontsize) for lab in wrapped for line in lab.split("\n"))
    column = widest + 2.6 * fontsize  # handle, gap and column spacing
    ncols = max(1, min(len(labels), int(FIGSIZE[0] * 72 * 0.92 // column)))
    fig.legend(
        handles,
        wrapped,
        loc="outside lower center",
        ncols=ncols,
        fontsize=fontsize,
        handlelength=1.0,
        handleheight=0.8,
        columnspacing=1.6,
    )


def value_label(ax: Any, text: str, xy: tuple[float, float], lift: float, colour: str) -> None:
    """Print a figure centred just above a point (``lift`` points higher), as every chart does."""
    ax.annotate(
        text,
        xy,
        xytext=(0, lift),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=8.5,
        color=colour,
    )


def chart_series(kind: str, inds: Sequence[Indicator]) -> tuple[list[Indicator], Indicator | None]:
    """Pick the indicators a chart draws, and for a stacked chart the total printed on top.

    Only indicators in the first one's unit are drawn (a percentage row in an
    energy group is not a bar among MWh). A bar or line chart of a group draws
    its top-level rows: a part is not drawn beside the total it belongs to.
    A stacked chart of a group with a total and its parts stacks the parts and
    prints the published total, so nothing is counted twice; "of which" rows
    are never stacked.
    """
    if not inds:
        return [], None
    same = [i for i in inds if i.unit == inds[0].unit]
    by_id = {i.id: i for i in same}
    if kind != "stacked":
        parts = {p for i in same for p in i.sum_of if p in by_id}
        parts |= {i.id for i in same if i.part_of in by_id}
        return [i for i in same if i.id not in parts] or same, None
    for ind in same:
        if ind.sum_of and all(p in by_id for p in ind.sum_of):
            return [by_id[p] for p in ind.sum_of], ind
    return [i for i in same if i.part_of not in by_id], None
