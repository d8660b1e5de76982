"""The landing page of each edition: hero, headline figures, chapter cards, downloads.

Figures come from the data set through the same formatting as the chapters
(:func:`~esgpress.editions.formatting.format_quantity`, the unit catalogue, and
:func:`~esgpress.editions.formatting.format_change` on the figures as printed), so a
tile can never disagree with the report. The page is HTML rendered from
``templates/site/esgpress/landing.html`` into ``index.md``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from esgpress.core.numbers import round_half_up
from esgpress.data.model import Dataset
from esgpress.editions.formatting import format_change, format_quantity, is_chinese
from esgpress.editions.i18n import MARKS, Localizer
from esgpress.site.config import LANGUAGE_NAMES, SiteSettings, pdf_name, word
from esgpress.site.paths import TOOLKIT_SITE


@dataclass(frozen=True)
class Tile:
    """One headline figure."""

    kpi: str
    label: str
    number: str
    unit: str
    unit_before: bool
    full: str
    year: str
    change: str | None
    direction: str
    assurance: str | None


@dataclass(frozen=True)
class Card:
    """One chapter card."""

    number: str
    title: str
    intro: str
    href: str


@dataclass(frozen=True)
class Download:
    """One downloadable file."""

    label: str
    note: str
    href: str
    lang: str
    size: str | None
    current: bool = False


def human_size(size: int) -> str:
    """Write a file size as a reader reads it: 2.4 MB / 380 KB."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def headline_tiles(dataset: Dataset, loc: Localizer, kpi_ids: tuple[str, ...]) -> list[Tile]:
    """Build tiles for the headline KPIs in order; a KPI without a figure shows its missing text."""
    report = dataset.report
    previous = report.comparison_years[0] if report.comparison_years else report.year - 1
    tiles = []
    for kpi_id in kpi_ids:
        ind = dataset.indicators[kpi_id]
        unit = loc.unit_display(ind.unit)
        value = ind.values.get(report.year)
        if value is None or not value.is_number or value.number is None:
            from esgpress.render.tables import cell_text

            text = cell_text(ind, value, loc)
            tiles.append(
                Tile(
                    kpi_id,
                    loc.shown(ind.label),
                    text,
                    "",
                    False,
                    text,
                    str(report.year),
                    None,
                    "none",
                    None,
                )
            )
            continue
        decimals = ind.decimals_for(value)
        words = loc.dataset.qualifiers
        number = format_quantity(
            value.number, decimals, None, loc.edition, qualifier=value.qualifier, qualifiers=words
        )
        full = format_quantity(
            value.number, decimals, unit, loc.edition, qualifier=value.qualifier, qualifiers=words
        )
        change, direction = None, "none"
        old = ind.values.get(previous)
        if old is not None and old.is_number and old.number is not None:
            o = round_half_up(old.number, ind.decimals_for(old))
            n = round_half_up(value.number, decimals)
            points = ind.unit == "%"
            if o != 0 or points:
                change = format_change(o, n, loc.edition, decimals=1, points=points, signed=True)
                delta = n - o
                direction = "up" if delta > 0 else "down" if delta < 0 else "flat"
        year = f"{report.year}{loc.ui('year_suffix')}"
        mark = (
            MARKS[ind.assurance] + " " + loc.ui(ind.assurance)
            if ind.assurance in ("reasonable", "limited")
            else None
        )
        before = unit.before and not is_chinese(loc.edition)
        tiles.append(
            Tile(
                kpi_id,
                loc.shown(ind.label),
                number,
                unit.text,
                before,
                full,
                year,
                change,
                direction,
                mark,
            )
        )
    return tiles


def pdf_downloads(dataset: Dataset, loc: Localizer, dist: Path, files_href: str) -> list[Download]:
    """List the editions' PDFs, linked whether or not they are built yet."""
    out = []
    for edition in dataset.report.editions:
        name = pdf_name(dataset.report, edition)
        path = dist / name
        size = human_size(path.stat().st_size) if path.is_file() else None
        out.append(
            Download(
                LANGUAGE_NAMES[edition],
                word("report_pdf", loc),
                files_href + name,
                edition,
                size,
                edition == loc.edition,
            )
        )
    return out


@functools.lru_cache(maxsize=8)
def _environment(templates: Path) -> Environment:
    """One environment per templates folder and process.

    The preview regenerates these pages on every save; a kept environment
    keeps their compiled templates, and Jinja still reloads a template whose
    file changed. Outside the Remembered rule on purpose: the environment holds
    no page content of its own (Jinja checks each template file when it is
    used), and at most eight are kept.
    """
    return Environment(
        loader=FileSystemLoader([str(templates), str(TOOLKIT_SITE)]),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def anchor(key: str) -> str:
    """Return a Markdown heading attribute list ``{#key}`` (Jinja reads ``{#`` as a comment)."""
    return "{#" + key + "}"


def render_page(templates: Path, name: str, **context: object) -> str:
    """Render one of our page templates (``esgpress/<name>``: the project's, else the toolkit's)."""
    return _environment(templates).get_template(f"esgpress/{name}").render(anchor=anchor, **context)


def landing_markdown(
    dataset: Dataset,
    loc: Localizer,
    settings: SiteSettings,
    cards: list[Card],
    pdfs: list[Download],
    templates: Path,
    archive: bool = False,
) -> str:
    """Return the ``index.md`` of one edition (``archive``: link the reports by year)."""
    report = dataset.report
    tiles = headline_tiles(dataset, loc, settings.headline)
    notice = loc.text(report.sample_notice) if report.sample and report.sample_notice else None
    body = render_page(
        templates,
        "landing.html",
        edition=loc.edition,
        company=loc.text(report.company),
        title=loc.text(report.title),
        year=report.year,
        sample=report.sample,
        notice=notice,
        tiles=tiles,
        cards=cards,
        pdfs=pdfs,
        archive=archive,
        w=lambda key: word(key, loc),
    )
    title = f"{loc.text(report.company)} · {loc.text(report.title)}"
    # The summary search engines show: the report's opening paragraph (the
    # first chapter's), not the title again.
    summary = next((c.intro for c in cards if c.intro), "")
    description = summary or f"{loc.text(report.company)} {loc.text(report.title)}"
    front = (
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"description: {json.dumps(description, ensure_ascii=False)}\n"
        "hide: [navigation, toc, path]\n"
        "search: {exclude: true}\n"
        "---\n\n"
    )
    return front + body
