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

Longer than 400 lines because every chapter function must be a method of this
one class (the sandbox's only globals); the standing components' HTML is built
in :mod:`esgpress.render.components` and :mod:`esgpress.render.materiality`.
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
from esgpress.data.model import FRAMEWORKS, Indicator, Text, TileFigure, Topic
from esgpress.editions.formatting import format_change, format_quantity, missing_text
from esgpress.render import components as comp
from esgpress.render.changes import change_problem
from esgpress.render.chartalt import chart_alt
from esgpress.render.contentindex import content_index_markdown
from esgpress.render.notes import call_html
from esgpress.render.sandbox import chapter_problems
from esgpress.render.state import (
    MARKER,
    ChapterContext,
    EditionScope,
    keep_verbatim,
    template_line,
)
from esgpress.render.tables import kpi_table_html
from esgpress.render.tableshape import table_anchor, table_segments, table_shape

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
        """Return a call of note ``key``, numbered once the chapter is complete (notes.py)."""
        if key not in self._ds.footnotes:
            self._ctx.error(f"unknown footnote '{key}'{did_you_mean(key, self._ds.footnotes)}")
            return MARKER
        return call_html(key, 0)

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
            qualifiers=loc.dataset.qualifiers,
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
        segments_as_rows: bool = False,
        row_title: str = "",
    ) -> Markup:
        """Print a table of a group or a list of KPIs over the years, by segment if asked.

        ``segments_as_rows=True`` prints a matrix: a row per segment (region),
        a column group per KPI, a column per year.
        """
        ds = self._ds
        if isinstance(what, str) and what not in ds.groups and what not in ds.indicators:
            hint = did_you_mean(what, [*ds.groups, *ds.indicators])
            return Markup(self._ctx.error(f"unknown group or KPI {what!r}{hint}"))
        shape = table_shape(
            unit, column_notes, years_as_rows, share_of, ds, units, segments_as_rows, row_title
        )
        if isinstance(shape, str):
            return Markup(self._ctx.error(shape))
        inds, caption, cap_notes = self._resolve_ids(what)
        anchor = table_anchor(what, self._state.sections, self._ctx.chapter.key, self._anchors)
        for ind in inds:
            self._use(ind, anchor)
        ys = [y for y in (self._check_year(y) for y in (years or ds.report.years)) if y is not None]
        segs = table_segments(ds, inds, ys, segments, every_year=segments_as_rows)
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
        spec: dict[str, object] = {
            "slug": slug,
            "ids": [i.id for i in inds],
            "kind": kind,
            "years": ys,
            "title": title_text,
        }
        self._state.charts.append(spec)
        alt = chart_alt(spec, self._ds, self._loc)
        return Markup(
            '<figure class="chart" markdown="0">'
            f'<img src="charts/{slug}.svg" alt="{escape(alt)}">'
            f"<figcaption>{escape(title_text)}</figcaption></figure>"
        )

    def targets_table(self, columns: Sequence[str] = ()) -> Markup:
        """Print the targets of data/kpis.yaml; their texts may cite figures and notes.

        ``columns``: the report's own headers of the target, progress and next
        columns (``["2023 年目标", "本年度目标完成情况", "2024 年目标"]``). A text
        of several lines prints one item per line (a cell of several targets).
        """
        ds, loc, ctx, env = self._ds, self._loc, self._ctx, self._scope.env
        if columns and (len(columns) != 3 or not all(isinstance(c, str) for c in columns)):
            return Markup(
                self._ctx.error(
                    f"targets_table(columns={list(columns)!r}): give three headers, for the "
                    'target, progress and next columns, e.g. ["2023 年目标", "完成情况", '
                    '"2024 年目标"]'
                )
            )
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
                    cells.append(_items(Markup(template.render())))
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
        words = [loc.ui(k) for k in ("area", "target", "progress", "next")]
        if columns:
            words[1:] = [str(c) for c in columns]
        head = "".join(f'<th scope="col">{escape(w)}</th>' for w in words)
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

    # ---- standing components: material topics, ratings, assurance (data/topics.yaml ...)

    def _data_text(self, text: Text | None, origin: tuple[str, int], what: str) -> Markup:
        """Render a text of the data as a small template with this chapter's functions."""
        if text is None:
            return Markup("")
        ctx, env = self._ctx, self._scope.env
        functions = chapter_functions(self)
        ctx.data_origin = (origin[0], origin[1], self._current_section())
        try:
            source = self._loc.text(text)
            refused = chapter_problems(env, source, functions)
            for _line, message in refused:
                ctx.error(f"{what}: {message}")
            return Markup(env.from_string("" if refused else source, globals=functions).render())
        except TemplateError as exc:
            ctx.error(f"{what}: {exc}")
            return Markup("")
        finally:
            ctx.data_origin = None

    def _topic(self, topic_id: str) -> Topic | None:
        topics = {t.id: t for t in self._ds.components.topics}
        if topic_id not in topics:
            self._ctx.error(f"unknown topic {topic_id!r}{did_you_mean(str(topic_id), topics)}")
            return None
        return topics[topic_id]

    def _tile_figure(self, fig: TileFigure) -> str:
        """Format one tile figure from the data: a KPI, two KPIs, a change or a rating."""
        ratings = {r.id: r for r in self._ds.components.ratings}
        if fig.rating is not None:
            return escape(self._loc.text(ratings[fig.rating].rating))
        year = self._ds.report.year
        current = self._ds.indicators[fig.kpis[0]].value(year) if fig.kpis else None
        if fig.change_from is not None and (current is None or current.number is None):
            return escape(self.kpi(fig.kpis[0]))  # no figure this year (a new year): its dash
        if fig.change_from is not None and fig.kpis:
            signed = self.change(fig.kpis[0], fig.change_from, self._ds.report.year, signed=True)
            glyph = {"+": "↑ ", "-": "↓ ", "±": "→ "}.get(signed[:1], "")
            return escape(glyph + signed[1:] if glyph else signed)
        return "/".join(escape(self.kpi(k, compact=fig.compact)) for k in fig.kpis)

    def topic_map(self) -> Markup:
        """Print the map of material-topic tiles (data/topics.yaml ``tile:``), in rank order."""
        loc = self._loc
        tiles = [
            comp.tile_html(
                t,
                loc.text(t.label),
                [
                    (loc.text(f.label) if f.label else self.label(f.kpis[0]), self._tile_figure(f))
                    for f in t.tile or ()
                ],
                loc.edition,
            )
            for t in sorted(self._ds.components.topics, key=lambda t: (t.rank or 999, t.id))
            if t.tile is not None
        ]
        return comp.topic_map_html(tiles)

    def topic(self, topic_id: str, caller: Callable[[], str] | None = None) -> Markup:
        """Frame the block of a topic call as that topic's page: name, pillar, tags, SDGs."""
        t = self._topic(topic_id)
        body = caller() if caller is not None else ""
        if t is None:
            return Markup(MARKER)
        return comp.topic_section(t, self._loc.text(t.label), body, self._loc.edition)

    def topics_table(self) -> Markup:
        """Print the material-topic management table (landscape in print)."""
        path = str(self._ds.components.topics_path)

        def cell(t: Topic, column: str) -> str:
            return self._data_text(t.management.get(column), (path, t.line), f"topic '{t.id}'")

        # The figures of management texts illustrate a topic; they do not make this
        # section a disclosure of their framework codes (the content index).
        mark = len(self._state.disclosures)
        table = comp.management_table(
            self._ds.components.topics, self._loc.edition, lambda t: self._loc.text(t.label), cell
        )
        del self._state.disclosures[mark:]
        return table

    def materiality_matrix(self, title: str | None = None) -> Markup:
        """Place the double-materiality matrix (or the ranked list when no scores exist)."""
        c, loc = self._ds.components, self._loc
        if c.scores == "none":
            return comp.ranking_html(c.topics, lambda t: loc.text(t.label))
        title_text = title or comp.word("matrix", loc.edition)
        self._state.charts.append(
            {
                "slug": "materiality-matrix",
                "ids": [],
                "kind": "matrix",
                "years": [],
                "title": title_text,
            }
        )
        note = (
            f'<p class="chart-note">{escape(loc.text(c.scores_note))}</p>' if c.scores_note else ""
        )
        return Markup(
            '<figure class="chart matrix" markdown="0">'
            f'<img src="charts/materiality-matrix.svg" alt="{escape(title_text)}">'
            f"<figcaption>{escape(title_text)}</figcaption></figure>{note}"
        )

    def sdg_marks(self, *goals: int) -> Markup:
        """Print numbered SDG badges for goals 1–17."""
        bad = [g for g in goals if not isinstance(g, int) or not 1 <= g <= 17]
        if bad:
            return Markup(self._ctx.error(f"SDG goals are numbered 1 to 17, not {bad[0]!r}"))
        return Markup(f'<span class="sdgs">{comp.sdg_badges(goals)}</span>')

    def ratings_table(self) -> Markup:
        """Print the ESG ratings and awards of data/ratings.yaml."""
        ratings = self._ds.components.ratings
        return comp.ratings_html(ratings, self._loc.edition, lambda t: self._loc.text(t))  # type: ignore[arg-type]

    def assurance_statement(self) -> Markup:
        """Print the assurance facts, the assured indicators by level and the assurer's text."""
        a, loc, ed = self._ds.components.assurance, self._loc, self._loc.edition
        if a is None:
            return Markup(self._ctx.error("data/report.yaml has no assurance: block"))
        zh = ed != "en"
        facts = [
            (comp.word("provider", ed), escape(loc.text(a.provider))),
            (comp.word("standard", ed), escape(a.standard)),
        ]
        if a.level:
            facts.append((comp.word("level", ed), escape(loc.text(a.level))))
        if a.date:
            facts.append((comp.word("date", ed), escape(a.date.isoformat())))
        if a.signatory:
            facts.append((comp.word("signatory", ed), escape(loc.text(a.signatory))))
        scope: list[tuple[str, list[tuple[str, str]]]] = []
        for level in ("reasonable", "limited"):
            groups: dict[str, list[str]] = {}
            for i in self._ds.indicators.values():
                if i.assurance == level:
                    group = loc.text(self._ds.groups[i.group].label)
                    groups.setdefault(group, []).append(loc.text(i.label))
            count = sum(len(v) for v in groups.values())
            if count:
                title = comp.word(level, ed) + (
                    f"（{count}{comp.word('indicators', ed)}）"
                    if zh
                    else f" ({count} {comp.word('indicators', ed)})"
                )
                items = [
                    (g + ("：" if zh else ": "), ("、" if zh else ", ").join(v))
                    for g, v in groups.items()
                ]
                scope.append((title, items))
        facts.append(
            (comp.word("scope", ed), escape(("；" if zh else "; ").join(t for t, _ in scope)))
        )
        statement = None
        if a.statement:
            raw = (self._scope.root / "data" / a.statement).read_text(encoding="utf-8")
            paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
            statement = keep_verbatim(
                self._state, "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            )
        note = loc.text(a.note) if a.note else None
        return comp.assurance_html(facts, scope, statement, note)

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


def _items(cell: Markup) -> Markup:
    """Print a cell text of several lines as a list, one item per line (several targets)."""
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    if len(lines) < 2:
        return cell
    return Markup('<ul class="target-items">' + "".join(f"<li>{x}</li>" for x in lines) + "</ul>")
