"""The writer's vocabulary: the only names that exist inside a chapter.

Each function formats from the data for the edition being rendered and
records what the chapter used (KPIs, footnotes, disclosures, charts) in the
edition state. A mistake (unknown KPI, unknown footnote key, unknown section)
is recorded with the chapter file and line and the function returns a visible
marker, so one render reports every mistake in a chapter at once.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError
from markupsafe import Markup

from esgpress.core.errors import did_you_mean
from esgpress.core.numbers import round_half_up
from esgpress.data.model import FRAMEWORKS, Indicator
from esgpress.editions.formatting import format_change, format_quantity, missing_text
from esgpress.render.renderer import ChapterContext, Note, template_line
from esgpress.render.sandbox import chapter_problems
from esgpress.render.tables import kpi_table_html

if TYPE_CHECKING:
    from esgpress.data.model import Dataset
    from esgpress.editions.i18n import Localizer
    from esgpress.render.renderer import Renderer


def natural_key(code: str) -> list[object]:
    """Sort A1.2 before A1.10 and 305-1 before 305-10."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code)]


def chart_slug(what: str | list[str], kind: str) -> str:
    """Name a chart file: readable, and short even for a long list of indicators.

    The same call gives the same name in every edition, so the site and the
    print edition of one language share the file and a rebuild overwrites it.
    """
    base = re.sub(r"[^a-z0-9]+", "-", (what if isinstance(what, str) else "-".join(what)).lower())
    base = base.strip("-")
    if len(base) > 40:
        digest = hashlib.sha1(base.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        base = f"{base[:31].rstrip('-')}-{digest}"
    return f"{base}-{kind}"


def report_facts(dataset: Dataset, loc: Localizer) -> dict[str, Callable[[], Any]]:
    """Give the functions that print facts of data/report.yaml.

    They need no chapter: headings use them too, before any chapter renders.
    """
    report = dataset.report
    return {
        "report_year": lambda: report.year,
        "company": lambda: loc.text(report.company),
        "report_title": lambda: loc.text(report.title),
    }


def chapter_globals(r: Renderer, ctx: ChapterContext) -> dict[str, Callable[..., Any]]:
    """Build the functions of one chapter render."""
    ds, loc, state = r.dataset, r.loc, r.state
    report = ds.report

    # This chapter's headings by line, looked up by bisection: a chapter cites
    # hundreds of figures, and scanning every section of the report for each
    # would make rendering grow with the square of the report's length.
    mine = sorted((s.line, s.key) for s in state.sections.values() if s.chapter == ctx.chapter.key)
    heading_lines = [line for line, _key in mine]

    def current_section() -> str:
        if ctx.data_origin is not None:
            return ctx.data_origin[2]
        at = bisect.bisect_right(heading_lines, template_line())
        return mine[at - 1][1] if at else ctx.chapter.key

    def use(ind: Indicator) -> None:
        state.kpis_used.setdefault(ctx.chapter.key, set()).add(ind.id)
        section = current_section()
        for fw, codes in ind.codes.items():
            for code in codes:
                state.disclosures.append((fw, code, ctx.chapter.key, section))

    def indicator(kpi_id: object) -> Indicator | None:
        if not isinstance(kpi_id, str) or kpi_id not in ds.indicators:
            ctx.error(f"unknown KPI {kpi_id!r}{did_you_mean(str(kpi_id), ds.indicators)}")
            return None
        ind = ds.indicators[kpi_id]
        use(ind)
        return ind

    def check_year(year: object) -> int | None:
        if not isinstance(year, int) or not report.data_from <= year <= report.year:
            ctx.error(f"year {year!r} is outside the data ({report.data_from}–{report.year})")
            return None
        return year

    def note_call(key: str) -> str:
        fn = ds.footnotes.get(key)
        if fn is None:
            ctx.error(f"unknown footnote '{key}'{did_you_mean(key, ds.footnotes)}")
            return "⟦?⟧"
        note = state.notes.get(key)
        if note is None:
            note = Note(len(state.notes) + 1, key, escape(loc.text(fn.text)), ctx.chapter.key)
            state.notes[key] = note
        listed = state.chapter_notes.setdefault(ctx.chapter.key, [])
        if note.number not in listed:
            listed.append(note.number)
        n = note.number
        return f'<sup class="fn-ref"><a href="#fn-{n}" data-note="{escape(key)}">{n}</a></sup>'

    def kpi(
        kpi_id: str,
        year: int | None = None,
        segment: str | None = None,
        compact: bool = False,
        unit: bool = True,
    ) -> str:
        ind = indicator(kpi_id)
        y = check_year(report.year if year is None else year)
        if ind is None or y is None:
            return "⟦?⟧"
        if segment is not None and segment not in ds.segments:
            return ctx.error(
                f"unknown segment {segment!r}{did_you_mean(str(segment), ds.segments)}"
            )
        value = ind.value(y, segment)
        if value is None:
            return missing_text("not_reported", loc.edition)
        if not value.is_number or value.number is None:
            return missing_text(
                value.kind, loc.edition, loc.text(value.pending) if value.pending else None
            )
        return format_quantity(
            value.number,
            ind.decimals_for(value),
            loc.unit_display(ind.unit) if unit else None,
            loc.edition,
            qualifier=value.qualifier,
            compact=compact,
        )

    def change(
        kpi_id: str, from_year: int, to_year: int, signed: bool = False, decimals: int = 2
    ) -> str:
        ind = indicator(kpi_id)
        a, b = check_year(from_year), check_year(to_year)
        if ind is None or a is None or b is None:
            return "⟦?⟧"
        old, new = ind.values.get(a), ind.values.get(b)
        if old is None or new is None or old.number is None or new.number is None:
            return ctx.error(f"change({kpi_id!r}, {from_year}, {to_year}): a year has no figure")
        # Changes are computed from the figures as printed, so readers can recompute them.
        o = round_half_up(old.number, ind.decimals_for(old))
        n = round_half_up(new.number, ind.decimals_for(new))
        if o == 0 and ind.unit != "%":
            return ctx.error(
                f"change({kpi_id!r}, {from_year}, {to_year}): cannot compute a change from zero"
            )
        return format_change(
            o, n, loc.edition, decimals=decimals, points=ind.unit == "%", signed=signed
        )

    def resolve_ids(
        what: str | Sequence[str],
    ) -> tuple[list[Indicator], str | None, tuple[str, ...]]:
        if isinstance(what, str) and what in ds.groups:
            g = ds.groups[what]
            return [ds.indicators[i] for i in g.indicators], loc.text(g.label), g.footnotes
        ids = [what] if isinstance(what, str) else list(what)
        out = [i for i in (indicator(k) for k in ids) if i is not None]
        return out, None, ()

    def kpi_table(
        what: str | Sequence[str],
        years: Sequence[int] | None = None,
        segments: bool | Sequence[str] | None = None,
        title: str | None = None,
    ) -> Markup:
        if isinstance(what, str) and what not in ds.groups and what not in ds.indicators:
            hint = did_you_mean(what, [*ds.groups, *ds.indicators])
            return Markup(ctx.error(f"unknown group or KPI {what!r}{hint}"))
        inds, caption, cap_notes = resolve_ids(what)
        for ind in inds:
            use(ind)
        ys = [y for y in (check_year(y) for y in (years or report.years)) if y is not None]
        if segments is None or segments is True:
            segs = (
                [s for s in ds.segments if any(s in i.segments.get(ys[0], {}) for i in inds)]
                if ys
                else []
            )
        elif segments is False:
            segs = []
        else:
            segs = [s for s in segments if s in ds.segments]
        return kpi_table_html(inds, ys, segs, loc, note_call, title or caption, cap_notes)

    def footnote(key: str) -> Markup:
        return Markup(note_call(key))

    def case(title: str, caller: Callable[[], str] | None = None) -> Markup:
        body = caller() if caller is not None else ""
        return Markup(
            '<div class="esg-case" markdown="1">\n'
            '<p class="esg-case-title">'
            f'<span class="esg-case-label">{escape(loc.ui("case"))}</span>'
            f"{escape(title)}</p>\n\n{body.strip()}\n\n</div>"
        )

    def xref(key: str) -> Markup:
        s = state.sections.get(key)
        if s is None:
            return Markup(ctx.error(f"unknown section '{key}'{did_you_mean(key, state.sections)}"))
        return Markup(f"[{escape(s.title)}]({s.chapter}.md#{s.key})")

    def disclosure(framework: str, *codes: str) -> str:
        if framework not in FRAMEWORKS:
            return ctx.error(f"unknown framework {framework!r}; use one of {', '.join(FRAMEWORKS)}")
        section = current_section()
        for code in codes:
            state.disclosures.append((framework, str(code), ctx.chapter.key, section))
        return ""

    def chart(
        what: str | Sequence[str],
        kind: str = "bar",
        years: Sequence[int] | None = None,
        title: str | None = None,
    ) -> Markup:
        if kind not in ("bar", "line", "stacked"):
            return Markup(ctx.error(f"chart kind {kind!r} is not one of bar, line, stacked"))
        inds, caption, _ = resolve_ids(what)
        if not inds:
            return Markup("")
        for ind in inds:
            use(ind)
        if title is None and caption is None and len(inds) > 1:
            return Markup(
                ctx.error('a chart of several indicators needs a title: chart([...], title="...")')
            )
        ys = sorted(years or report.years)
        slug = chart_slug(what if isinstance(what, str) else list(what), kind)
        title_text = title or caption or loc.text(inds[0].label)
        state.charts.append(
            {
                "slug": slug,
                "ids": [i.id for i in inds],
                "kind": kind,
                "years": ys,
                "title": title_text,
            }
        )
        return Markup(
            '<figure class="chart" markdown="0">'
            f'<img src="charts/{slug}.svg" alt="{escape(title_text)}">'
            f"<figcaption>{escape(title_text)}</figcaption></figure>"
        )

    def targets_table() -> Markup:
        section = current_section()
        in_targets = functions.keys() - {"targets_table"}  # a target cannot print the table
        rows = []
        for t in ds.targets:
            for fw, codes in t.codes.items():
                for code in codes:
                    state.disclosures.append((fw, code, ctx.chapter.key, section))
            area = loc.text(t.area)
            if t.scope:
                scope = loc.text(t.scope)
                area += f" ({scope})" if loc.edition == "en" else f"（{scope}）"
            cells: list[Markup] = []
            ctx.data_origin = (str(ds.kpis_path), t.line, section)
            try:
                for text in (t.target, t.progress, t.next):
                    # Target texts may cite figures and notes: they render as small
                    # templates, autoescaped, with this chapter's functions and
                    # held to the same chapter language.
                    source = loc.text(text)
                    refused = chapter_problems(r.env, source, in_targets)
                    for _line, message in refused:
                        ctx.error(f"target '{t.id}': {message}")
                    template = r.env.from_string("" if refused else source, globals=functions)
                    cells.append(Markup(template.render()))
            except TemplateError as exc:
                ctx.error(f"target '{t.id}': {exc}")
                cells = [Markup("")] * 3
            finally:
                ctx.data_origin = None
            rows.append(
                f'<tr class="target status-{t.status}"><th scope="row">{escape(area)}</th>'
                + "".join(f"<td>{c}</td>" for c in cells)
                + "</tr>"
            )
        head = "".join(
            f'<th scope="col">{escape(loc.ui(k))}</th>'
            for k in ("area", "target", "progress", "next")
        )
        return Markup(
            '<div class="kpi-table-wrap">\n<table class="targets-table">\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(rows)
            + "\n</tbody>\n</table>\n</div>"
        )

    def content_index(framework: str) -> Markup:
        from esgpress.render.contentindex import content_index_markdown

        if framework not in FRAMEWORKS:
            return Markup(
                ctx.error(f"unknown framework {framework!r}; use one of {', '.join(FRAMEWORKS)}")
            )
        return Markup(content_index_markdown(r, framework))

    def label(kpi_id: str) -> str:
        ind = indicator(kpi_id)
        return loc.text(ind.label) if ind else "⟦?⟧"

    def unit(kpi_id: str) -> str:
        ind = indicator(kpi_id)
        return loc.unit_display(ind.unit).text if ind else "⟦?⟧"

    functions: dict[str, Callable[..., Any]] = {
        "kpi": kpi,
        "change": change,
        "kpi_table": kpi_table,
        "footnote": footnote,
        "case": case,
        "xref": xref,
        "chart": chart,
        "disclosure": disclosure,
        "targets_table": targets_table,
        "content_index": content_index,
        "label": label,
        "unit": unit,
        **report_facts(ds, loc),
    }
    return functions
