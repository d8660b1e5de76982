"""KPI tables as HTML that the site (Material) and the PDF (WeasyPrint) both style.

One function builds the table; CSS decides how it looks. The markup carries
the structure a reader needs: a spanning header over the report year's
segment columns, indented child rows and "of which" rows (``data-level``),
a unit column, footnote calls, assurance marks with a legend, and missing
values as the edition's own text. ``<thead>`` repeats on every printed page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from esgpress.data.model import Indicator, Value
from esgpress.editions.formatting import format_number, missing_text, qualify
from esgpress.editions.i18n import MARKS, Localizer

NoteCall = Callable[[str], str]


def row_levels(indicators: Sequence[Indicator]) -> dict[str, int]:
    """Indentation level of each row: parts one deeper than the total they add up to."""
    ids = {i.id for i in indicators}
    parent: dict[str, str] = {}
    for ind in indicators:
        for part in ind.sum_of:
            if part in ids:
                parent.setdefault(part, ind.id)
        if ind.part_of in ids:
            parent.setdefault(ind.id, ind.part_of)
    levels: dict[str, int] = {}
    for ind in indicators:
        depth, node, seen = 0, ind.id, set()
        while node in parent and node not in seen:
            seen.add(node)
            node = parent[node]
            depth += 1
        levels[ind.id] = depth
    return levels


def cell_text(ind: Indicator, value: Value | None, loc: Localizer) -> str:
    """Format the content of one numeric cell (no unit: the unit column has it)."""
    if value is None:
        return missing_text("not_reported", loc.edition)
    if value.is_number and value.number is not None:
        return qualify(
            format_number(value.number, ind.decimals_for(value), loc.edition),
            value.qualifier,
            loc.edition,
        )
    return missing_text(value.kind, loc.edition, loc.text(value.pending) if value.pending else None)


def kpi_table_html(
    indicators: Sequence[Indicator],
    years: Sequence[int],
    segments: Sequence[str],
    loc: Localizer,
    note: NoteCall,
    caption: str | None = None,
    caption_notes: Sequence[str] = (),
) -> Markup:
    """Build the table. ``note(key)`` returns the HTML of a footnote call."""
    ds = loc.dataset
    seg_year = years[0] if segments else None
    levels = row_levels(indicators)
    marks_used: set[str] = set()
    out: list[str] = ['<div class="kpi-table-wrap">', '<table class="kpi-table">']
    if caption:
        notes = "".join(note(k) for k in caption_notes)
        out.append(f"<caption>{escape(caption)}{notes}</caption>")
    # ---- header
    two_rows = bool(segments)
    rs = ' rowspan="2"' if two_rows else ""
    head = [
        f'<th class="label" scope="col"{rs}>{escape(loc.ui("indicator"))}</th>',
        f'<th class="unit" scope="col"{rs}>{escape(loc.ui("unit"))}</th>',
    ]
    for y in years:
        if y == seg_year:
            head.append(
                f'<th class="year span" scope="colgroup" colspan="{1 + len(segments)}">{y}</th>'
            )
        else:
            head.append(f'<th class="year" scope="col"{rs}>{y}</th>')
    out += ["<thead>", "<tr>" + "".join(head) + "</tr>"]
    if two_rows:
        sub = [f'<th class="seg" scope="col">{escape(loc.ui("total"))}</th>']
        for s in segments:
            seg = ds.segments[s]
            seg_notes = "".join(note(k) for k in seg.footnotes)
            sub.append(f'<th class="seg" scope="col">{escape(loc.text(seg.label))}{seg_notes}</th>')
        out.append("<tr>" + "".join(sub) + "</tr>")
    out.append("</thead>")
    # ---- body
    out.append("<tbody>")
    for ind in indicators:
        level = levels[ind.id]
        of_which = ind.part_of is not None
        label = escape(loc.text(ind.label))
        if of_which:
            label = escape(loc.ui("of_which")) + label
        mark = ""
        if ind.assurance in ("reasonable", "limited"):
            marks_used.add(ind.assurance)
            title = escape(loc.ui(ind.assurance))
            mark = (
                f'<span class="assurance assurance-{ind.assurance}" title="{title}">'
                f"{MARKS[ind.assurance]}</span>"
            )
        notes = "".join(note(k) for k in ind.footnotes)
        cls = f"level-{level}" + (" of-which" if of_which else "")
        cells = [
            f'<th class="label" scope="row">{label}{mark}{notes}</th>',
            f'<td class="unit">{escape(loc.unit_display(ind.unit).text)}</td>',
        ]
        for y in years:
            value = ind.values.get(y)
            if y == seg_year:
                seg_cells = ind.segments.get(y, {})
                if value is not None and value.kind == "pending" and not seg_cells:
                    cells.append(_td(ind, value, loc, note, marks_used, colspan=1 + len(segments)))
                    continue
                cells.append(_td(ind, value, loc, note, marks_used))
                cells += [_td(ind, seg_cells.get(s), loc, note, marks_used) for s in segments]
            else:
                cells.append(_td(ind, value, loc, note, marks_used))
        out.append(f'<tr class="{cls}" data-kpi="{escape(ind.id)}">' + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    if marks_used:
        legend = [
            f'<span class="legend-item">{MARKS[m]} {escape(loc.ui(m))}</span>'
            for m in ("reasonable", "limited", "restated")
            if m in marks_used
        ]
        out.append('<p class="kpi-legend">' + " ".join(legend) + "</p>")
    out.append("</div>")
    return Markup("\n".join(out))


def _td(
    ind: Indicator,
    value: Value | None,
    loc: Localizer,
    note: NoteCall,
    marks_used: set[str],
    colspan: int = 1,
) -> str:
    text = escape(cell_text(ind, value, loc))
    classes = ["num"]
    extra = ""
    if value is None:
        # No figure for this year or segment: styled (and read out) as missing, not as 0.
        classes = ["missing", "not_reported"]
    elif not value.is_number:
        classes = ["missing", value.kind]
    if value is not None and value.restated is not None:
        marks_used.add("restated")
        classes.append("restated")
        extra += f'<span class="restated-mark">{MARKS["restated"]}</span>'
    if value is not None:
        extra += "".join(note(k) for k in value.footnotes)
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return f'<td class="{" ".join(classes)}"{span}>{text}{extra}</td>'
