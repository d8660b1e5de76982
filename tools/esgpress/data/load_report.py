"""Load ``data/report.yaml``: report facts, the ``print:`` and ``site:`` blocks, the sample notice.

Every block is validated here, with the file's positions, so ``esgpress check``
reports what the PDF and site builds would refuse; those stages receive typed
settings (:class:`~esgpress.data.model.PrintSettings`,
:class:`~esgpress.data.model.SiteSettings`), never YAML nodes.

``site.headline`` names KPIs, which exist only once ``kpis.yaml`` is read: the
report is loaded first with the headline's ids kept aside in a
:class:`ReportLoad`, and :func:`resolve_headline` checks them afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from ruamel.yaml.nodes import Node, SequenceNode

from esgpress.core.errors import Problems, did_you_mean
from esgpress.data.load_archive import PUBLICATION_KEYS
from esgpress.data.load_settings import SETTINGS_KEYS, load_settings
from esgpress.data.load_style import read_style
from esgpress.data.model import (
    MAX_HEADLINES,
    UNIT_PLACES,
    PrintSettings,
    Report,
    SiteSettings,
    TableStyle,
    Text,
)
from esgpress.data.schema import Reader
from esgpress.data.yamlio import Document

REPORT_KEYS = (
    "slug",
    "year",
    "comparison_years",
    "data_from",
    "period",
    "currency",
    "company",
    "title",
    "published",
    "board_approval",
    "edition",
    "frameworks",
    "contact",
    "assurance",
    "print",
    "site",
    "chapters",
    "sample",
    "sample_notice",
    "style",
    "tables",
    *SETTINGS_KEYS,
    *PUBLICATION_KEYS,
)
REPORT_REQUIRED = ("slug", "year", "company", "title", "chapters")
TABLE_KEYS = ("not_reported", "unit_slash", "unit", "rounds_to_zero")
PRINT_KEYS = ("first_page", "header")
HEADER_KEYS = ("verso", "recto")
SITE_KEYS = ("headline", "url")


@dataclass
class ReportLoad:
    """The report, and the headline KPI ids still to check against ``kpis.yaml``."""

    report: Report
    reader: Reader
    headline_node: Node | None = None
    headline: list[tuple[str, Node]] = field(default_factory=list)


def load_report(doc: Document, problems: Problems) -> ReportLoad | None:
    """Read the report file; ``None`` when its required facts are missing or wrong."""
    r = Reader(doc.path, problems)
    entries = r.mapping(doc.root, "the report file")
    if entries is None:
        return None
    r.keys(entries, "the report", REPORT_KEYS, REPORT_REQUIRED, doc.root)

    def get(key: str) -> Node | None:
        return entries[key][1] if key in entries else None

    year_node, from_node = get("year"), get("data_from")
    year = r.year(year_node, "year") if year_node is not None else None
    comparison = tuple(
        y
        for y in (
            r.year(n, "comparison_years")
            for n in (r.sequence(get("comparison_years"), "comparison_years") or [])
        )
        if y
    )
    data_from = r.year(from_node, "data_from") if from_node is not None else None
    slug = r.string(get("slug"), "slug")
    company = r.text(get("company"), "company")
    title = r.text(get("title"), "title")
    chapters = _chapter_keys(r, get("chapters"))
    period = r.mapping(get("period"), "period") or {}
    # The settings blocks are read even when a required fact is missing, so one
    # run reports every problem of the file.
    printing = _print_settings(r, get("print"))
    url, headline_node, headline = _site_block(r, get("site"))
    notice = r.text(get("sample_notice"), "sample_notice")
    tables = _table_style(r, get("tables"))
    # One slash setting: style.<edition>.unit_slash; tables.unit_slash (an
    # older key, still read) is the slash of every edition that sets none.
    style = read_style(r, get("style"), tables.unit_slash)
    settings = load_settings(r, {key: get(key) for key in SETTINGS_KEYS})
    if year is None or slug is None or company is None or title is None:
        return None
    for c in comparison:
        if c >= year:
            r.error(
                get("comparison_years"),
                f"comparison year {c} should be before the report year {year}",
            )
    report = Report(
        slug=slug,
        year=year,
        comparison_years=comparison,
        data_from=data_from or min((year, *comparison)),
        company=company,
        title=title,
        chapters=chapters,
        currency=r.string(get("currency"), "currency") or "RMB",
        period_start=r.date(period["start"][1], "period.start") if "start" in period else None,
        period_end=r.date(period["end"][1], "period.end") if "end" in period else None,
        published=r.date(get("published"), "published"),
        board_approval=r.date(get("board_approval"), "board_approval"),
        sample=bool(r.boolean(get("sample"), "sample")) if get("sample") is not None else False,
        sample_notice=notice,
        print=printing,
        site=SiteSettings(url=url),
        style=style,
        editions=settings.editions,
        default_edition=settings.default_edition,
        source_script=settings.source_script,
        brand=settings.brand,
        tables=tables,
    )
    return ReportLoad(report, r, headline_node, headline)


def _table_style(r: Reader, node: Node | None) -> TableStyle:
    """Read the ``tables:`` block: the report's own way of printing its KPI tables."""
    if node is None:
        return TableStyle()
    entries = r.mapping(node, "tables") or {}
    r.keys(entries, "tables", TABLE_KEYS)
    dash = (
        r.string(entries["not_reported"][1], "tables.not_reported")
        if "not_reported" in entries
        else None
    )
    slash = (
        r.string(entries["unit_slash"][1], "tables.unit_slash") if "unit_slash" in entries else None
    )
    unit = r.choice(entries["unit"][1], "tables.unit", UNIT_PLACES) if "unit" in entries else None
    tiny = (
        r.choice(entries["rounds_to_zero"][1], "tables.rounds_to_zero", ("zero", "less_than"))
        if "rounds_to_zero" in entries
        else None
    )
    return TableStyle(dash, slash, unit or "column", tiny or "zero")


def _print_settings(r: Reader, node: Node | None) -> PrintSettings:
    """Read ``print.first_page`` and ``print.header``; defaults where absent or wrong."""
    if node is None:
        return PrintSettings()
    entries = r.mapping(node, "print") or {}
    r.keys(entries, "print", PRINT_KEYS)
    first_page = 1
    if "first_page" in entries:
        first_page = r.integer(entries["first_page"][1], "print.first_page", 1, 99999) or 1
    sides: dict[str, Text | None] = {}
    if "header" in entries:
        header = r.mapping(entries["header"][1], "print.header") or {}
        r.keys(header, "print.header", HEADER_KEYS)
        for side in HEADER_KEYS:
            if side in header:
                sides[side] = r.text(header[side][1], f"print.header.{side}")
    return PrintSettings(first_page, sides.get("verso"), sides.get("recto"))


def _site_block(
    r: Reader, node: Node | None
) -> tuple[str | None, Node | None, list[tuple[str, Node]]]:
    """Read ``site.url`` and the ids of ``site.headline`` (checked by :func:`resolve_headline`)."""
    if node is None:
        return None, None, []
    entries = r.mapping(node, "site") or {}
    r.keys(entries, "site", SITE_KEYS)
    headline: list[tuple[str, Node]] = []
    headline_node = entries["headline"][1] if "headline" in entries else None
    for item in r.sequence(headline_node, "site.headline") or []:
        kpi_id = r.string(item, "site.headline")
        if kpi_id is not None:
            headline.append((kpi_id, item))
    url = None
    if "url" in entries:
        url = r.string(entries["url"][1], "site.url")
        if url and not url.startswith(("https://", "http://")):
            r.error(
                entries["url"][1],
                f"site.url should be an absolute address (https://…), not '{url}'",
            )
            url = None
    return url, headline_node, headline


def resolve_headline(load: ReportLoad, indicators: Collection[str]) -> Report:
    """Check ``site.headline`` against the data set's KPI ids; return the report with them.

    Unknown ids are errors and are dropped; more than
    :data:`~esgpress.data.model.MAX_HEADLINES` is a warning and the rest are
    dropped, as the landing page has room for no more.
    """
    known: list[str] = []
    for kpi_id, item in load.headline:
        if kpi_id not in indicators:
            load.reader.error(
                item,
                f"site.headline: unknown KPI '{kpi_id}'" + did_you_mean(kpi_id, indicators),
            )
            continue
        known.append(kpi_id)
    if len(known) > MAX_HEADLINES:
        load.reader.error(
            load.headline_node,
            f"site.headline lists {len(known)} KPIs; "
            f"the landing page shows at most {MAX_HEADLINES}",
            "warning",
        )
        known = known[:MAX_HEADLINES]
    site = replace(load.report.site, headline=tuple(known))
    return replace(load.report, site=site)


#: A chapter key names content/<lang>/<key>.md and the page <key>.html: a plain
#: file name, so no key can reach outside content/ or build/ (``../../README``).
CHAPTER_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def _chapter_keys(r: Reader, node: Node | None) -> tuple[str, ...]:
    """Read the chapter keys, each checked against :data:`CHAPTER_KEY` at its own line."""
    items = node.value if isinstance(node, SequenceNode) else [node] if node is not None else []
    keys = []
    for item in items:
        key = r.string(item, "chapters")
        if key is None:
            continue
        if not CHAPTER_KEY.fullmatch(key):
            r.error(
                item,
                f"chapter key {key!r} should be a plain file name: lower-case letters, digits, "
                "'-' and '_' (at most 64), naming content/<lang>/<key>.md",
            )
            continue
        keys.append(key)
    return tuple(keys)
