"""The writer's vocabulary: the only names that exist inside a chapter.

:class:`ChapterVocabulary` is the whole list: each public method is a
function a chapter may call (docs/writing-chapters.md documents every one,
and its tests check that each has an example). To add a chapter function,
add a public method here and an example to that page.

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
from typing import Any

from jinja2 import TemplateError
from markupsafe import Markup

from esgpress.core.errors import did_you_mean
from esgpress.core.numbers import round_half_up
from esgpress.data.model import FRAMEWORKS, Indicator
from esgpress.editions.formatting import format_change, format_quantity, missing_text
from esgpress.render.changes import change_problem
from esgpress.render.contentindex import content_index_markdown
from esgpress.render.sandbox import chapter_problems
from esgpress.render.state import MARKER, ChapterContext, EditionScope, Note, template_line
from esgpress.render.tables import kpi_table_html, table_anchor, table_segments, table_shape

#: The functions that print facts of data/report.yaml: headings may use them too.
REPORT_FACTS = ("report_year", "company", "report_title")


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


class ChapterVocabulary:
    """The functions of one chapter render: every public method is callable from a chapter.

    Made per chapter by the renderer with the edition being rendered and the
    chapter's context; :func:`chapter_functions` gives the methods by name,
    which become the template's only globals.
    """

    def __init__(self, scope: EditionScope, ctx: ChapterContext) -> None:
        self._scope = scope
        self._ds = scope.dataset
        self._loc = scope.loc
        self._state = scope.state
        self._ctx = ctx
        # This chapter's headings by line, looked up by bisection: a chapter cites
        # hundreds of figures, and scanning every section of the report for each
        # would make rendering grow with the square of the report's length.
        self._mine = sorted(
            (s.line, s.key) for s in self._state.sections.values() if s.chapter == ctx.chapter.key
        )
        self._heading_lines = [line for line, _key in self._mine]
        self._anchors: set[str] = set()

    # ---- helpers (private: not chapter functions)

    def _current_section(self) -> str:
        if self._ctx.data_origin is not None:
            return self._ctx.data_origin[2]
        at = bisect.bisect_right(self._heading_lines, template_line())
        return self._mine[at - 1][1] if at else self._ctx.chapter.key

    def _use(self, ind: Indicator, anchor: str = "") -> None:
        chapter = self._ctx.chapter.key
        self._state.kpis_used.setdefault(chapter, set()).add(ind.id)
        # A table's codes point at the table itself (section#anchor): its page, not the heading's.
        section = self._current_section() + (f"#{anchor}" if anchor else "")
        for fw, codes in ind.codes.items():
            for code in codes:
                self._state.disclosures.append((fw, code, chapter, section))

    def _indicator(self, kpi_id: object) -> Indicator | None:
        if not isinstance(kpi_id, str) or kpi_id not in self._ds.indicators:
            self._ctx.error(
                f"unknown KPI {kpi_id!r}{did_you_mean(str(kpi_id), self._ds.indicators)}"
            )
            return None
        ind = self._ds.indicators[kpi_id]
        self._use(ind)
        return ind

    def _check_year(self, year: object) -> int | None:
        report = self._ds.report
        if not isinstance(year, int) or not report.data_from <= year <= report.year:
            self._ctx.error(f"year {year!r} is outside the data ({report.data_from}–{report.year})")
            return None
        return year

    def _note(self, key: str) -> str:
        ctx, state = self._ctx, self._state
        fn = self._ds.footnotes.get(key)
        if fn is None:
            ctx.error(f"unknown footnote '{key}'{did_you_mean(key, self._ds.footnotes)}")
            return MARKER
        note = state.notes.get(key)
        if note is None:
            note = Note(len(state.notes) + 1, key, escape(self._loc.text(fn.text)), ctx.chapter.key)
            state.notes[key] = note
        listed = state.chapter_notes.setdefault(ctx.chapter.key, [])
        if note.number not in listed:
            listed.append(note.number)
        n = note.number
        return f'<sup class="fn-ref"><a href="#fn-{n}" data-note="{escape(key)}">{n}</a></sup>'

    def _resolve_ids(
        self, what: str | Sequence[str]
    ) -> tuple[list[Indicator], str | None, tuple[str, ...]]:
        ds = self._ds
        if isinstance(what, str) and what in ds.groups:
            g = ds.groups[what]  # a group's internal rows are never printed; listed by id, they are
            inds = [ds.indicators[i] for i in g.indicators if not ds.indicators[i].internal]
            return inds, self._loc.text(g.label), g.footnotes
        ids = [what] if isinstance(what, str) else list(what)
        out = [i for i in (self._indicator(k) for k in ids) if i is not None]
        return out, None, ()

    def _unknown_framework(self, framework: str) -> str:
        return self._ctx.error(
            f"unknown framework {framework!r}; use one of {', '.join(FRAMEWORKS)}"
        )

    # ---- the chapter functions (docs/writing-chapters.md)

    def kpi(
        self,
        kpi_id: str,
        year: int | None = None,
        segment: str | None = None,
        compact: bool = False,
        unit: bool = True,
    ) -> str:
        """Print one figure with its unit, as the edition formats it."""
        ds, loc = self._ds, self._loc
        ind = self._indicator(kpi_id)
        y = self._check_year(ds.report.year if year is None else year)
        if ind is None or y is None:
            return MARKER
        if segment is not None and segment not in ds.segments:
            return self._ctx.error(
                f"unknown segment {segment!r}{did_you_mean(str(segment), ds.segments)}"
            )
        value = ind.value(y, segment)
        if value is None:
            return missing_text("not_reported", loc.edition)
        if not value.is_number or value.number is None:
            return missing_text(
                value.kind, loc.edition, loc.text(value.pending) if value.pending else None
            )
        decimals = ind.decimals_for(value)
        # 702.3 百万 → 7.023亿: a Chinese edition scales with its own words
        rescaled = None if compact else loc.rescaled(ind.unit, decimals)
        return format_quantity(
            value.number,
            decimals,
            rescaled[1] if rescaled else loc.unit_display(ind.unit) if unit else None,
            loc.edition,
            qualifier=value.qualifier,
            compact=compact or rescaled is not None,
            with_unit=unit,
            compact_decimals=rescaled[0] if rescaled else 2,
        )

    def change(
        self, kpi_id: str, from_year: int, to_year: int, signed: bool = False, decimals: int = 2
    ) -> str:
        """Print the change of a figure between two years, computed from the printed figures."""
        ind = self._indicator(kpi_id)
        a, b = self._check_year(from_year), self._check_year(to_year)
        if ind is None or a is None or b is None:
            return MARKER
        refused = change_problem(ind, a, b)
        if refused:
            return self._ctx.error(refused)
        old, new = ind.values[a], ind.values[b]
        assert old.number is not None and new.number is not None
        # Changes are computed from the figures as printed, so readers can recompute them.
        o = round_half_up(old.number, ind.decimals_for(old))
        n = round_half_up(new.number, ind.decimals_for(new))
        if o == 0 and ind.unit != "%":
            return self._ctx.error(
                f"change({kpi_id!r}, {from_year}, {to_year}): cannot compute a change from zero"
            )
        return format_change(
            o, n, self._loc.edition, decimals=decimals, points=ind.unit == "%", signed=signed
        )

    def kpi_table(
        self,
        what: str | Sequence[str],
        years: Sequence[int] | None = None,
        segments: bool | Sequence[str] | None = None,
        title: str | None = None,
        unit: str | None = None,
        column_notes: Sequence[Sequence[object]] = (),
        years_as_rows: bool = False,
        share_of: str | None = None,
        units: Sequence[Sequence[str]] = (),
    ) -> Markup:
        """Print a table of a group or a list of KPIs over the years, by segment if asked."""
        ds = self._ds
        if isinstance(what, str) and what not in ds.groups and what not in ds.indicators:
            hint = did_you_mean(what, [*ds.groups, *ds.indicators])
            return Markup(self._ctx.error(f"unknown group or KPI {what!r}{hint}"))
        shape = table_shape(unit, column_notes, years_as_rows, share_of, ds, units)
        if isinstance(shape, str):
            return Markup(self._ctx.error(shape))
        inds, caption, cap_notes = self._resolve_ids(what)
        anchor = table_anchor(what, self._state.sections, self._ctx.chapter.key, self._anchors)
        for ind in inds:
            self._use(ind, anchor)
        ys = [y for y in (self._check_year(y) for y in (years or ds.report.years)) if y is not None]
        segs = table_segments(ds, inds, ys, segments)
        return kpi_table_html(
            inds, ys, segs, self._loc, self._note, title or caption, cap_notes, shape, anchor
        )

    def footnote(self, key: str) -> Markup:
        """Print a footnote mark, numbered through the edition; the note ends the page."""
        return Markup(self._note(key))

    def case(self, title: str, caller: Callable[[], str] | None = None) -> Markup:
        """Frame the text of a ``{% call %}`` block as a case study with its title."""
        body = caller() if caller is not None else ""
        return Markup(
            '<div class="esg-case" markdown="1">\n'
            '<p class="esg-case-title">'
            f'<span class="esg-case-label">{escape(self._loc.ui("case"))}</span>'
            f"{escape(title)}</p>\n\n{body.strip()}\n\n</div>"
        )

    def xref(self, key: str) -> Markup:
        """Link to a section by its key, with the section's title in this edition."""
        s = self._state.sections.get(key)
        if s is None:
            return Markup(
                self._ctx.error(f"unknown section '{key}'{did_you_mean(key, self._state.sections)}")
            )
        return Markup(f"[{escape(s.title)}]({s.chapter}.md#{s.key})")

    def disclosure(self, framework: str, *codes: str) -> str:
        """Record that this section discloses framework codes (for the content index)."""
        if framework not in FRAMEWORKS:
            return self._unknown_framework(framework)
        section = self._current_section()
        for code in codes:
            self._state.disclosures.append((framework, str(code), self._ctx.chapter.key, section))
        return ""

    def chart(
        self,
        what: str | Sequence[str],
        kind: str = "bar",
        years: Sequence[int] | None = None,
        title: str | None = None,
    ) -> Markup:
        """Place a trend chart (bar, line or stacked) of a group or KPIs; drawn as SVG later."""
        if kind not in ("bar", "line", "stacked"):
            return Markup(self._ctx.error(f"chart kind {kind!r} is not one of bar, line, stacked"))
        inds, caption, _ = self._resolve_ids(what)
        if not inds:
            return Markup("")
        for ind in inds:
            self._use(ind)
        if title is None and caption is None and len(inds) > 1:
            return Markup(
                self._ctx.error(
                    'a chart of several indicators needs a title: chart([...], title="...")'
                )
            )
        ys = sorted(years or self._ds.report.years)
        slug = chart_slug(what if isinstance(what, str) else list(what), kind)
        title_text = title or caption or self._loc.text(inds[0].label)
        self._state.charts.append(
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

    def targets_table(self) -> Markup:
        """Print the targets of data/kpis.yaml; their texts may cite figures and notes."""
        ds, loc, ctx, env = self._ds, self._loc, self._ctx, self._scope.env
        section = self._current_section()
        functions = chapter_functions(self)
        in_targets = functions.keys() - {"targets_table"}  # a target cannot print the table
        rows = []
        for t in ds.targets:
            for fw, codes in t.codes.items():
                for code in codes:
                    self._state.disclosures.append((fw, code, ctx.chapter.key, section))
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
                    refused = chapter_problems(env, source, in_targets)
                    for _line, message in refused:
                        ctx.error(f"target '{t.id}': {message}")
                    template = env.from_string("" if refused else source, globals=functions)
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

    def content_index(self, framework: str) -> Markup:
        """Print the framework's content index: each code and the sections that disclose it."""
        if framework not in FRAMEWORKS:
            return Markup(self._unknown_framework(framework))
        return Markup(content_index_markdown(self._scope, framework))

    def label(self, kpi_id: str) -> str:
        """Print a KPI's label in the edition's language."""
        ind = self._indicator(kpi_id)
        return self._loc.text(ind.label) if ind else MARKER

    def unit(self, kpi_id: str) -> str:
        """Print a KPI's unit as the edition writes it."""
        ind = self._indicator(kpi_id)
        return self._loc.unit_display(ind.unit).text if ind else MARKER

    def report_year(self) -> int:
        """Print the report year (data/report.yaml)."""
        return self._ds.report.year

    def company(self) -> str:
        """Print the company's name in the edition's language."""
        return self._loc.text(self._ds.report.company)

    def report_title(self) -> str:
        """Print the report's title in the edition's language."""
        return self._loc.text(self._ds.report.title)


#: Every chapter function by name, in the order the class defines them.
CHAPTER_FUNCTIONS: tuple[str, ...] = tuple(
    name
    for name, member in vars(ChapterVocabulary).items()
    if not name.startswith("_") and callable(member)
)


def chapter_functions(vocabulary: ChapterVocabulary) -> dict[str, Callable[..., Any]]:
    """Return a chapter's functions by name: the template's only globals."""
    return {name: getattr(vocabulary, name) for name in CHAPTER_FUNCTIONS}
