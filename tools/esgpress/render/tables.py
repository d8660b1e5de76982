"""KPI tables as HTML that the site (Material) and the PDF (WeasyPrint) both style.

One function builds the table; CSS decides how it looks. The markup carries
the structure a reader needs: a spanning header over the report year's
segment columns, sub-heading rows and indented child rows
(:mod:`esgpress.render.tablerows`), the unit where the report prints it
(its own column, in each cell, in the label, or nowhere), footnote calls on
labels, headings, columns and single values, assurance marks with a legend,
and missing values as the edition's (or the report's) own text.
``<thead>`` repeats on every printed page. Tables may also turn: years as
rows and indicators as columns (an injury table), or become a matrix:
segments (regions) as rows under indicator × year columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from markupsafe import Markup

from esgpress.core.numbers import round_half_up
from esgpress.data.model import Indicator, Value
from esgpress.editions.chemistry import rich
from esgpress.editions.formatting import format_number, missing_text, qualify
from esgpress.editions.i18n import MARKS, Localizer
from esgpress.editions.scales import Rescaled, for_table, table_unit
from esgpress.render.tablerows import Row, table_rows
from esgpress.render.tableshape import TableShape

NoteCall = Callable[[str], str]


def row_levels(indicators: Sequence[Indicator], loc: Localizer) -> dict[str, int]:
    """Indentation level of each indicator row (see :func:`table_rows`)."""
    return {
        r.indicator.id: r.level
        for r in table_rows(indicators, loc.dataset)
        if r.indicator is not None
    }


def cell_text(
    ind: Indicator,
    value: Value | None,
    loc: Localizer,
    with_unit: bool = False,
    unit: str | None = None,
) -> str:
    """Format the content of one numeric cell; the unit only where the table puts it.

    ``unit`` is the unit key the table prints in place of the indicator's own.
    """
    dash = loc.dataset.report.tables.not_reported
    if value is None:
        return dash or missing_text("not_reported", loc.edition)
    if value.is_number and value.number is not None:
        shown = loc.unit_display(unit or ind.unit)
        figure = Rescaled(value.number, ind.decimals_for(value), shown)
        if loc.edition == "en":
            figure = for_table(figure.value, figure.decimals, shown)  # 241 亿元 → 24.1 RMB billion
        number = format_number(figure.value, figure.decimals, loc.edition)
        if (
            loc.dataset.report.tables.rounds_to_zero == "less_than"
            and figure.value != 0
            and round_half_up(figure.value, figure.decimals) == 0
        ):
            # One person in 33,000 is not "0.00": it is less than the last printed place.
            number = "<" + format_number(
                Decimal(1).scaleb(-figure.decimals), figure.decimals, loc.edition
            )
        if with_unit and ind.unit:
            number += ("" if not figure.unit.space else " ") + figure.unit.text
        return qualify(number, value.qualifier, loc.edition, loc.dataset.qualifiers)
    if value.kind == "not_reported" and dash:
        return dash
    return missing_text(value.kind, loc.edition, loc.text(value.pending) if value.pending else None)


class _Table:
    """Builds one table; keeps the footnote callback, the marks used and the unit place."""

    def __init__(
        self, loc: Localizer, note: NoteCall, shape: TableShape, segments: Sequence[str]
    ) -> None:
        self.loc, self.note, self.shape, self.segments = loc, note, shape, segments
        self.unit = shape.unit or loc.dataset.report.tables.unit
        self.marks: set[str] = set()

    def notes(self, keys: Sequence[str]) -> str:
        return "".join(self.note(k) for k in keys)

    def unit_in_cell(self, ind: Indicator) -> bool:
        if self.unit == "cell":
            return True
        # "label": a unit written against the number (%) stays in the cell as well.
        return self.unit == "label" and bool(ind.unit) and not self.loc.unit_display(ind.unit).space

    def unit_text(self, ind: Indicator) -> str:
        shown = self.loc.unit_display(self.shape.units.get(ind.unit, ind.unit))
        return (table_unit(shown) if self.loc.edition == "en" else shown).text

    def label(self, ind: Indicator) -> str:
        loc = self.loc
        text = str(rich(loc.text(ind.label)))
        if ind.part_of is not None:
            text = escape(loc.ui("of_which")) + text
        if self.unit == "label" and ind.unit:
            unit = str(rich(self.unit_text(ind)))
            text += f" ({unit})" if loc.edition == "en" else f"（{unit}）"
        mark = ""
        if ind.assurance in ("reasonable", "limited"):
            self.marks.add(ind.assurance)
            title = escape(loc.ui(ind.assurance))
            mark = (
                f'<span class="assurance assurance-{ind.assurance}" title="{title}">'
                f"{MARKS[ind.assurance]}</span>"
            )
        return f"{text}{mark}{self.notes(ind.footnotes)}"

    def share(self, ind: Indicator, value: Value | None, year: int | None) -> str:
        """`` (94.39%)``: the figure's share of ``share_of`` that year, from the printed figures."""
        base_id = self.shape.share_of
        if base_id is None or year is None or base_id == ind.id or value is None:
            return ""
        base = self.loc.dataset.indicators[base_id]
        whole = base.values.get(year)
        if value.number is None or whole is None or not whole.number:
            return ""
        part = round_half_up(value.number, ind.decimals_for(value))
        total = round_half_up(whole.number, base.decimals_for(whole))
        pct = format_number(round_half_up(part * 100 / total, 2), 2, self.loc.edition)
        return f" ({pct}%)"

    def td(
        self, ind: Indicator, value: Value | None, colspan: int = 1, year: int | None = None
    ) -> str:
        unit = self.shape.units.get(ind.unit, ind.unit)
        text = escape(cell_text(ind, value, self.loc, self.unit_in_cell(ind), unit))
        text += escape(self.share(ind, value, year))
        classes = ["num"]
        extra = ""
        if value is None:
            # No figure for this year or segment: styled (and read out) as missing, not as 0.
            classes = ["missing", "not_reported"]
        elif not value.is_number:
            classes = ["missing", value.kind]
        if value is not None and value.restated is not None:
            self.marks.add("restated")
            classes.append("restated")
            extra += f'<span class="restated-mark">{MARKS["restated"]}</span>'
        if value is not None and year is not None and year in ind.breaks:
            self.marks.add("series_break")
            classes.append("series-break")
            title = escape(ind.breaks[year])
            extra += f'<span class="break-mark" title="{title}">{MARKS["series_break"]}</span>'
        if value is not None:
            extra += self.notes(value.footnotes)
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        return f'<td class="{" ".join(classes)}"{span}>{text}{extra}</td>'

    def year_th(self, year: int, attrs: str) -> str:
        return f"<th {attrs}>{year}{self.notes(self.shape.column_notes.get(year, ()))}</th>"

    def legend(self) -> list[str]:
        if not self.marks:
            return []
        items = [
            f'<span class="legend-item">{MARKS[m]} {escape(self.loc.ui(m))}</span>'
            for m in ("reasonable", "limited", "restated", "series_break")
            if m in self.marks
        ]
        return ['<p class="kpi-legend">' + " ".join(items) + "</p>"]


def kpi_table_html(
    indicators: Sequence[Indicator],
    years: Sequence[int],
    segments: Sequence[str],
    loc: Localizer,
    note: NoteCall,
    caption: str | None = None,
    caption_notes: Sequence[str] = (),
    shape: TableShape | None = None,
    anchor: str = "",
) -> Markup:
    """Build the table. ``note(key)`` returns the HTML of a footnote call.

    ``anchor`` is the table's id, the target of the content index's links.
    """
    t = _Table(loc, note, shape or TableShape(), segments)
    wrap = f' id="{escape(anchor)}"' if anchor else ""
    # A matrix says so: the report-year styling of a column table does not fit its columns.
    kind = (
        "kpi-table matrix"
        if t.shape.segments_as_rows and not t.shape.years_as_rows
        else "kpi-table"
    )
    out: list[str] = [f'<div class="kpi-table-wrap"{wrap}>', f'<table class="{kind}">']
    if caption:
        out.append(f"<caption>{rich(caption)}{t.notes(caption_notes)}</caption>")
    if t.shape.years_as_rows:
        out += _turned(t, indicators, years)
    elif t.shape.segments_as_rows:
        out += _matrix(t, indicators, years)
    else:
        out += _head(t, years) + _body(t, indicators, years)
    out.append("</table>")
    out += t.legend()
    out.append("</div>")
    return Markup("\n".join(out))


def _head(t: _Table, years: Sequence[int]) -> list[str]:
    loc, segments = t.loc, t.segments
    seg_year = years[0] if segments else None
    rs = ' rowspan="2"' if segments else ""
    head = [f'<th class="label" scope="col"{rs}>{escape(loc.ui("indicator"))}</th>']
    if t.unit == "column":
        head.append(f'<th class="unit" scope="col"{rs}>{escape(loc.ui("unit"))}</th>')
    for y in years:
        if y == seg_year:
            span = f'class="year span" scope="colgroup" colspan="{1 + len(segments)}"'
            head.append(t.year_th(y, span))
        else:
            head.append(t.year_th(y, f'class="year" scope="col"{rs}'))
    out = ["<thead>", "<tr>" + "".join(head) + "</tr>"]
    if segments:
        sub = [f'<th class="seg" scope="col">{escape(loc.ui("total"))}</th>']
        for s in segments:
            seg = loc.dataset.segments[s]
            sub.append(
                f'<th class="seg" scope="col">{rich(loc.text(seg.label))}'
                f"{t.notes(seg.footnotes)}</th>"
            )
        out.append("<tr>" + "".join(sub) + "</tr>")
    out.append("</thead>")
    return out


def _body(t: _Table, indicators: Sequence[Indicator], years: Sequence[int]) -> list[str]:
    loc, segments = t.loc, t.segments
    seg_year = years[0] if segments else None
    width = 1 + (t.unit == "column") + len(years) + len(segments)
    out = ["<tbody>"]
    for row in table_rows(indicators, loc.dataset):
        out.append(_heading_row(t, row, width) if row.indicator is None else "")
        ind = row.indicator
        if ind is None:
            continue
        of_which = ind.part_of is not None
        cls = f"level-{row.level}" + (" of-which" if of_which else "")
        cells = [f'<th class="label" scope="row">{t.label(ind)}</th>']
        if t.unit == "column":
            cells.append(f'<td class="unit">{rich(t.unit_text(ind))}</td>')
        for y in years:
            value = ind.values.get(y)
            if y == seg_year:
                seg_cells = ind.segments.get(y, {})
                if value is not None and value.kind == "pending" and not seg_cells:
                    cells.append(t.td(ind, value, colspan=1 + len(segments)))
                    continue
                cells.append(t.td(ind, value, year=y))
                cells += [t.td(ind, seg_cells.get(s)) for s in segments]
            else:
                cells.append(t.td(ind, value, year=y))
        out.append(f'<tr class="{cls}" data-kpi="{escape(ind.id)}">' + "".join(cells) + "</tr>")
    out.append("</tbody>")
    return [line for line in out if line]


def _heading_row(t: _Table, row: Row, width: int) -> str:
    assert row.heading is not None
    h = row.heading
    return (
        f'<tr class="subheading level-{row.level}" data-subheading="{escape(h.key)}">'
        f'<th class="label" scope="rowgroup" colspan="{width}">'
        f"{rich(t.loc.text(h.label))}{t.notes(h.footnotes)}</th></tr>"
    )


def _turned(t: _Table, indicators: Sequence[Indicator], years: Sequence[int]) -> list[str]:
    """Years as rows, one column per indicator (units in the header or the cells)."""
    loc = t.loc
    if t.unit == "column":
        t.unit = "label"  # a turned table has no unit column: the header carries it
    head = [f'<th class="year" scope="col">{escape(loc.ui("year"))}</th>']
    head += [
        f'<th class="label" scope="col" data-kpi="{escape(i.id)}">{t.label(i)}</th>'
        for i in indicators
    ]
    out = ["<thead>", "<tr>" + "".join(head) + "</tr>", "</thead>", "<tbody>"]
    for y in years:
        cells = [t.year_th(y, 'class="year" scope="row"')]
        cells += [t.td(i, i.values.get(y), year=y) for i in indicators]
        out.append(f'<tr class="year-row" data-year="{y}">' + "".join(cells) + "</tr>")
    out.append("</tbody>")
    return out


def _matrix(t: _Table, indicators: Sequence[Indicator], years: Sequence[int]) -> list[str]:
    """Segments (regions) as rows; one column group per indicator, one column per year.

    A first row holds the indicators' totals when they have any for these
    years. Units go in the group headers (or the cells), as in a turned table.
    """
    loc = t.loc
    if t.unit == "column":
        t.unit = "label"  # no unit column: the indicator's header carries it
    n = len(years)
    span = f' colspan="{n}"' if n > 1 else ""
    corner = f'<th class="label corner" scope="col" rowspan="2">{rich(t.shape.row_title)}</th>'
    head = [corner] + [
        f'<th class="label group" scope="colgroup"{span} data-kpi="{escape(i.id)}">'
        f"{t.label(i)}</th>"
        for i in indicators
    ]
    years_row = [t.year_th(y, 'class="year" scope="col"') for _i in indicators for y in years]
    out = ["<thead>", "<tr>" + "".join(head) + "</tr>"]
    out += ["<tr>" + "".join(years_row) + "</tr>", "</thead>", "<tbody>"]
    if any(y in i.values for i in indicators for y in years):
        cells = [f'<th class="label" scope="row">{escape(loc.ui("total"))}</th>']
        cells += [t.td(i, i.values.get(y), year=y) for i in indicators for y in years]
        out.append('<tr class="level-0 total" data-segment="">' + "".join(cells) + "</tr>")
    for key in t.segments:
        seg = loc.dataset.segments[key]
        cells = [
            f'<th class="label" scope="row">{rich(loc.text(seg.label))}'
            f"{t.notes(seg.footnotes)}</th>"
        ]
        cells += [
            t.td(i, i.segments.get(y, {}).get(key), year=y) for i in indicators for y in years
        ]
        out.append(f'<tr class="level-0" data-segment="{escape(key)}">' + "".join(cells) + "</tr>")
    out.append("</tbody>")
    return out
