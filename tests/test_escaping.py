"""Markup typed into the data prints as text in the built site and in the PDF.

Labels, segment names and notes come from data owners' spreadsheets; the
render escapes them (tests/test_render.py checks the Markdown). These tests
follow the text to the end: the HTML pages of a real site build and the text
of a real PDF, so an unescaped path added anywhere downstream fails here.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import copy_project, edit
from esgpress.data.loader import load_project
from esgpress.render.write import render_edition

REPO = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"


def hostile_copy(fixture: str, dest: Path, replacements: dict[str, str]) -> Path:
    """A copy of a fixture project whose data carries markup in the given texts."""
    project = copy_project(fixture, dest / fixture)
    for old, new in replacements.items():
        edit(project / "data" / "kpis.yaml", old, new, 1)
    return project


def test_markup_in_labels_and_notes_is_text_on_the_site(tmp_path: Path) -> None:
    from esgpress.site.build import build_site

    project = hostile_copy(
        "site",
        tmp_path,
        {
            "en: Energy}": f"en: 'Energy {SCRIPT}'}}",
            "en: Greenhouse gases are accounted for by operational control.}": (
                "en: 'Greenhouse <b>gases</b> & <img src=x onerror=alert(2)>'}"
            ),
        },
    )
    build_site(project, config_file=REPO / "mkdocs.yml", site_dir=tmp_path / "site")
    page = (tmp_path / "site" / "en" / "climate.html").read_text(encoding="utf-8")
    assert "Energy &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Greenhouse &lt;b&gt;gases&lt;/b&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in page
    assert SCRIPT not in page
    assert "onerror=alert(2)>" not in page


def test_markup_in_labels_prints_as_text_in_the_pdf(tmp_path: Path) -> None:
    from esgpress.pdf.build import build_pdfs

    project = hostile_copy(
        "print", tmp_path, {"en: Smartphone × AIoT}": f"en: 'Smartphone {SCRIPT}'}}"}
    )
    dataset, problems = load_project(project)
    assert not problems.errors
    render_edition(project, dataset, "en")
    pdfs = build_pdfs(project, dataset, ("en",), force=True)
    html = (project / "build" / "print" / "en" / "report.html").read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "Smartphone &lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = subprocess.run(
        ["pdftotext", str(pdfs["en"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The segment name heads a narrow column whose cells pdftotext interleaves.
    assert "Smartphone\n<script>alert(1)</" in text
