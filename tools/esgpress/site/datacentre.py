"""The data centre of each edition (``data.md``): every table, every year, and the downloads.

Each group with ``table: true`` becomes a KPI table over all years in the
data set (:func:`esgpress.render.tables.kpi_table_html`, the same markup and CSS as
the chapters), filed under its topic. Footnotes are numbered on this page
and listed at its end, the way chapters list theirs. The data set is
exported next to the site (:func:`esgpress.workflows.export.export_dataset`) and linked
as CSV, XLSX and JSON.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.render.tables import kpi_table_html
from esgpress.site.chapters import searchable_tables
from esgpress.site.config import DATA_FORMATS, data_name, word
from esgpress.site.landing import Download, human_size, render_page
from esgpress.workflows.export import all_years, export_dataset, topic_label


class PageNotes:
    """Footnote calls numbered on one page, in order of first use."""

    def __init__(self, dataset: Dataset, loc: Localizer) -> None:
        self.dataset = dataset
        self.loc = loc
        self.numbers: dict[str, int] = {}

    def __call__(self, key: str) -> str:
        """Return the HTML of a call to footnote ``key`` (the same markup as chapters)."""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        n = self.numbers[key]
        return f'<sup class="fn-ref"><a href="#fn-{n}" data-note="{escape(key)}">{n}</a></sup>'

    def html(self) -> str:
        """Return the end-of-page list of the notes called."""
        if not self.numbers:
            return ""
        items = [
            f'<li id="fn-{n}" value="{n}" data-note="{escape(k)}">'
            f"{escape(self.loc.shown(self.dataset.footnotes[k].text))}</li>"
            for k, n in self.numbers.items()
        ]
        return (
            f'<section class="footnotes" aria-label="{escape(self.loc.ui("notes"))}">\n<ol>\n'
            + "\n".join(items)
            + "\n</ol>\n</section>\n"
        )


def write_data_files(dataset: Dataset, loc: Localizer, out_dir: Path) -> dict[str, Path]:
    """Export the data set of one edition in every format into ``out_dir``."""
    return {
        fmt: export_dataset(
            dataset, loc, fmt, out_dir / data_name(dataset.report, loc.edition, fmt)
        )
        for fmt in DATA_FORMATS
    }


def data_downloads(
    dataset: Dataset, loc: Localizer, files: dict[str, Path], files_href: str
) -> list[Download]:
    """Download entries for the data files of this edition."""
    return [
        Download(
            word(fmt, loc),
            fmt.upper(),
            files_href + path.name,
            loc.edition,
            human_size(path.stat().st_size) if path.is_file() else None,
        )
        for fmt, path in files.items()
    ]


def datacentre_markdown(
    dataset: Dataset, loc: Localizer, downloads: list[Download], templates: Path
) -> str:
    """Return the ``data.md`` page of one edition."""
    years = all_years(dataset)
    notes = PageNotes(dataset, loc)
    report_year = dataset.report.year
    topics: dict[str, list[dict[str, str]]] = {}
    for group in dataset.groups.values():
        if not group.table or not group.indicators:
            continue
        inds = [dataset.indicators[i] for i in group.indicators]
        inds = [i for i in inds if not i.internal]  # never published: no download either
        if not inds:
            continue
        # Every year of the data set in which this group has a figure (no all-dash columns).
        group_years = [y for y in years if any(y in i.values or y in i.segments for i in inds)]
        segs = [
            s for s in dataset.segments if any(s in i.segments.get(report_year, {}) for i in inds)
        ]
        group_notes = "".join(notes(k) for k in group.footnotes)
        table = searchable_tables(
            str(kpi_table_html(inds, group_years or years, segs, loc, notes, None, ())),
            "; " if loc.edition == "en" else "、",
        )
        topics.setdefault(group.topic, []).append(
            {
                "id": "data-" + group.id.replace(".", "-"),
                "title": loc.shown(group.label),
                "notes": group_notes,
                "table": table,
            }
        )
    sections = [
        {"id": f"topic-{topic}", "title": topic_label(topic, loc), "groups": groups}
        for topic, groups in topics.items()
    ]
    body = render_page(
        templates,
        "datacentre.html",
        edition=loc.edition,
        title=word("data_centre", loc),
        intro=word("data_intro", loc),
        years=years,
        downloads=downloads,
        sections=sections,
        notes=notes.html(),
        archive=bool(dataset.publications.archive),  # a link to the earlier years' data
        w=lambda key: word(key, loc),
    )
    front = f"---\ndescription: {json.dumps(word('data_intro', loc), ensure_ascii=False)}\n---\n\n"
    return front + body
