"""Earlier years' reports, policies, the assurance statement and the contact footer.

A corporate ESG site keeps what it published before: the "reports by year"
page (``reports.html``) lists every year's editions and data files, this
year's first, from ``archive:`` in ``data/report.yaml``. The downloads page
adds the company's policies (``policies:``) with size and date, and a link to
the section that prints the assurance statement (``assurance_statement()``).
Files named there are in the project (the loader checked they stay inside
it); they are copied to ``files/library/<path>`` on the site, so a name can
never collide with this year's generated downloads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import escape

from esgpress.core.files import write_atomic
from esgpress.data.model import Dataset, PublishedFile
from esgpress.editions.formatting import is_chinese
from esgpress.editions.i18n import Localizer
from esgpress.site.config import LANGUAGE_NAMES, word
from esgpress.site.landing import Download, human_size, render_page

#: Folder of the project's own files (archive, policies) inside the site's downloads.
LIBRARY = "library"


@dataclass(frozen=True)
class Entry:
    """One file on the reports or downloads page."""

    label: str
    note: str
    href: str
    icon: str
    lang: str | None = None
    size: str | None = None
    day: str | None = None
    iso: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Year:
    """One year on the reports page."""

    year: int
    title: str | None
    reports: list[Entry]
    data: list[Entry]


def copy_library(dataset: Dataset, root: Path, files_dir: Path) -> set[str]:
    """Copy the archive's and the policies' project files to ``files/library/``; prune the rest.

    Returns the paths written (relative to the library folder).
    """
    pub = dataset.publications
    wanted = [
        f.path
        for f in (
            *(f for y in pub.archive for f in (*y.reports, *y.data)),
            *pub.policies,
        )
        if f.path
    ]
    library = files_dir / LIBRARY
    for rel in wanted:
        write_atomic(library / rel, (root / rel).read_bytes(), only_if_changed=True)
    keep = {(library / rel).resolve() for rel in wanted}
    if library.is_dir():
        for path in sorted(library.rglob("*"), reverse=True):
            if path.is_file() and path.resolve() not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return set(wanted)


def format_day(day: date, edition: str) -> str:
    """Write a date as the edition writes it: 2025年4月30日 / 30 April 2025."""
    if is_chinese(edition):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"


def _icon(name: str) -> str:
    """Return the file kind shown on the download's icon: PDF, CSV, XLSX … (LINK for an address)."""
    match = re.search(r"\.([A-Za-z0-9]{1,5})$", name)
    return match.group(1).upper() if match else "FILE"


def _entry(
    f: PublishedFile, loc: Localizer, root: Path, files_href: str, label: str, note: str
) -> Entry:
    """Make an entry for a project file (size from the file) or an address (marked external)."""
    day = format_day(f.date, loc.edition) if f.date else None
    iso = f.date.isoformat() if f.date else None
    if f.url:
        return Entry(label, word("external", loc), f.url, "LINK", f.edition, None, day, iso, True)
    path = str(f.path)
    size = human_size((root / path).stat().st_size)
    href = f"{files_href}{LIBRARY}/{path}"
    return Entry(label, note, href, _icon(path), f.edition, size, day, iso)


def archive_years(
    dataset: Dataset,
    loc: Localizer,
    root: Path,
    files_href: str,
    pdfs: Sequence[Download],
    data: Sequence[Download],
) -> list[Year]:
    """List the report year's downloads, then every earlier year of ``archive:``, newest first."""
    report = dataset.report
    current = Year(
        report.year,
        loc.text(report.title),
        [Entry(d.label, d.note, d.href, "PDF", d.lang, d.size) for d in pdfs],
        [Entry(d.label, word("all_data", loc), d.href, d.note, d.lang, d.size) for d in data],
    )
    years = [current]
    for y in dataset.publications.archive:
        if y.year == report.year:
            continue  # this year's files come from the build
        reports = [
            _entry(f, loc, root, files_href, _edition_name(f), word("report_pdf", loc))
            for f in y.reports
        ]
        files = [
            _entry(
                f,
                loc,
                root,
                files_href,
                loc.text(f.title) if f.title else _edition_name(f),
                word("all_data", loc),
            )
            for f in y.data
        ]
        years.append(Year(y.year, loc.text(y.title) if y.title else None, reports, files))
    return years


def archive_list(dataset: Dataset) -> list[int]:
    """Return the years on the reports page (none without an ``archive:``), newest first."""
    earlier = [y.year for y in dataset.publications.archive if y.year != dataset.report.year]
    return [dataset.report.year, *earlier] if earlier else []


def _edition_name(f: PublishedFile) -> str:
    return LANGUAGE_NAMES[f.edition] if f.edition else ""


def reports_markdown(years: list[Year], loc: Localizer, templates: Path) -> str:
    """Return the ``reports.md`` page: every year's editions and data."""
    body = render_page(
        templates,
        "reports.html",
        title=word("reports_by_year", loc),
        intro=word("reports_intro", loc),
        years=years,
        w=lambda key: word(key, loc),
    )
    description = json.dumps(word("reports_intro", loc), ensure_ascii=False)
    return f"---\ndescription: {description}\nhide: [navigation, toc]\n---\n\n{body}"


def policy_entries(dataset: Dataset, loc: Localizer, root: Path, files_href: str) -> list[Entry]:
    """List the policies of ``policies:``, each with its size and the date of its version."""
    return [
        _entry(p, loc, root, files_href, loc.text(p.title) if p.title else "", "")
        for p in dataset.publications.policies
    ]


def assurance_link(pages: dict[str, str]) -> str | None:
    """Return the address of the section that prints the assurance statement, if a chapter does.

    ``pages`` maps a page's file name (``about.html``) to its Markdown; the
    statement is the ``assurance`` block of ``assurance_statement()``, under the
    last heading with an id before it.
    """
    for name, markdown in pages.items():
        at = markdown.find('<div class="assurance"')
        if at < 0:
            continue
        heads = re.findall(r"^#{1,6} .*\{#([^}\s]+)\}\s*$", markdown[:at], re.M)
        return f"{name}#{heads[-1]}" if heads else name
    return None


def assurance_entries(dataset: Dataset, loc: Localizer, link: str | None) -> list[Entry]:
    """List the assurance statement's section (its text is printed there, verbatim)."""
    assurance = dataset.components.assurance
    if not link:
        return []
    note = loc.text(assurance.provider) if assurance else ""
    return [Entry(word("assurance_statement", loc), note, link, "§")]


def contact_html(dataset: Dataset, loc: Localizer) -> str:
    """Return the footer's contact line: e-mail, website, feedback and address, as links."""
    contact = dataset.publications.contact
    colon = "：" if is_chinese(loc.edition) else ": "
    parts = []
    if contact.email:
        parts.append(
            f'{escape(word("email", loc))}{colon}<a href="mailto:{escape(contact.email)}">'
            f"{escape(contact.email)}</a>"
        )
    if contact.url:
        shown = re.sub(r"^https?://", "", contact.url).rstrip("/")
        parts.append(f'<a href="{escape(contact.url)}">{escape(shown)}</a>')
    if contact.feedback:
        parts.append(f'<a href="{escape(contact.feedback)}">{escape(word("feedback", loc))}</a>')
    if contact.address:
        parts.append(str(escape(loc.text(contact.address))))
    if not parts:
        return ""
    items = "".join(f'<span class="esg-contact__item">{p}</span>' for p in parts)
    label = escape(word("contact", loc))
    return f'<span class="esg-contact__title">{label}</span>{items}'
