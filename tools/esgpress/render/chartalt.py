"""The text alternative of a chart: its title, its years and every figure it draws.

A reader who cannot see the chart (a screen reader on the site, the /Alt of
the PDF's Figure) gets what the chart says, not only its title:

    Scope 1 and 2 emissions, 2022–2024: 85,742.61; 116,722.56; 209,714.77 tCO2e

The series are the ones :func:`esgpress.render.chartstyle.chart_series` draws
(a stacked chart: its parts, then the published total), the figures are
formatted as the edition prints them (:func:`format_quantity`, with the unit
after the last figure of a series), a year without a figure says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from esgpress.data.model import Dataset, Indicator
from esgpress.editions.formatting import format_quantity, is_chinese
from esgpress.render.chartstyle import chart_series

if TYPE_CHECKING:
    from esgpress.editions.i18n import Localizer

#: Punctuation per language: after the years, between figures, between series.
MARKS = {
    "zh": ("，", "：", "；", "。"),
    "en": (", ", ": ", "; ", ". "),
}
NO_FIGURE = {"zh-Hans": "无数据", "zh-Hant": "無數據", "en": "no figure"}


def series_figures(ind: Indicator, years: list[int], loc: Localizer) -> str:
    """Return one series' figures in year order, the unit after the last one."""
    out = []
    for k, year in enumerate(years):
        cell = ind.values.get(year)
        if cell is None or not cell.is_number or cell.number is None:
            out.append(NO_FIGURE.get(loc.edition, NO_FIGURE["en"]))
            continue
        out.append(
            format_quantity(
                cell.number,
                ind.decimals_for(cell),
                loc.unit_display(ind.unit),
                loc.edition,
                qualifier=cell.qualifier,
                with_unit=k == len(years) - 1,
            )
        )
    last = ind.values.get(years[-1]) if years else None
    text = MARKS["zh" if is_chinese(loc.edition) else "en"][2].join(out)
    if last is None or last.number is None:  # the unit still belongs to the series
        unit = loc.unit_display(ind.unit).text
        text += (" " if unit and not is_chinese(loc.edition) else "") + unit
    return text


def chart_alt(spec: dict[str, Any], dataset: Dataset, loc: Localizer) -> str:
    """Return the alt text of a chart spec: title, years and every figure drawn."""
    kind = str(spec.get("kind", "bar"))
    picked = [dataset.indicators[i] for i in spec.get("ids", ()) if i in dataset.indicators]
    inds, total = chart_series(kind, picked)
    series = [*inds, *([total] if total is not None else [])]
    years = sorted(int(y) for y in spec.get("years") or dataset.report.years)
    title = str(spec.get("title", ""))
    if not series or not years:
        return loc.style.apply(title)
    comma, colon, _semi, stop = MARKS["zh" if is_chinese(loc.edition) else "en"]
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    span += loc.ui("year_suffix")
    head = loc.style.apply(f"{title}{comma}{span}{colon}")  # spaced as the caption
    if len(series) == 1:
        body = series_figures(series[0], years, loc)
    else:
        body = stop.join(
            f"{loc.shown(ind.label)}{colon}{series_figures(ind, years, loc)}" for ind in series
        )
    # Read aloud as prose: the edition's prose terms too (English "tonnes", not "t").
    return head + loc.style.prose(body)
