"""The print edition: PDFs of the fixture project in tests/fixtures/print.

One session build lays out all three editions (in parallel processes); the
tests read the PDFs back with poppler (pdftotext, pdfinfo, pdffonts) and pypdf
and compare what a reader would see with the print HTML: TOC and index page
numbers, footnotes on the page of their call, running headers, fonts, tags.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from conftest import copy_project, edit
from esgpress.core.errors import EsgError
from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS
from esgpress.render.write import render_edition

FIRST_PAGE = 110  # data/report.yaml print.first_page of the fixture
HEADERS = {
    "zh-Hant": ("示例集團", "2024年度報告"),
    "zh-Hans": ("示例集团", "2024年度报告"),
    "en": ("Example Group", "Annual Report 2024"),
}
# SUPPLEMENTARY PRIVATE USE AREA-A U+F0000: no installed font has it (checked below; fonts-noto-core
# covers the Egyptian hieroglyph used before).
UNCOVERED = "\U000f0000"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@dataclass
class Printed:
    root: Path
    pdfs: dict[str, Path]

    def html(self, edition: str) -> str:
        return (self.root / "build" / "print" / edition / "report.html").read_text(encoding="utf-8")


def render(root: Path, editions: tuple[str, ...] = EDITIONS) -> None:
    dataset, _ = load_project(root)
    for edition in editions:
        render_edition(root, dataset, edition)


def build(root: Path, editions: tuple[str, ...] = EDITIONS, **kwargs: object) -> dict[str, Path]:
    from esgpress.pdf.build import build_pdfs

    dataset, _ = load_project(root)
    return build_pdfs(root, dataset, editions, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    root = copy_project("print", tmp_path_factory.mktemp("print") / "project")
    cwd = Path.cwd()
    os.chdir(root)  # the zh-Hant converter looks for data/glossary.yaml from here
    try:
        render(root)
        pdfs = build(root, force=True)
    finally:
        os.chdir(cwd)
    yield Printed(root, pdfs)


def pages(pdf: Path) -> list[str]:
    """Text of each page (index 0 = PDF page 1), as pdftotext -layout lays it out."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def heading_texts(html: str) -> dict[str, str]:
    """Heading id → heading text as printed (footnotes left out)."""
    out = {}
    for key, body in re.findall(r'<h[1-6] id="([^"]+)"[^>]*>(.*?)</h[1-6]>', html, re.S):
        body = re.sub(
            r'<span class="footnote".*?</span>|<sup class="fn-(?:ref|call)[^"]*">.*?</sup>',
            "",
            body,
        )
        out[key] = unescape(re.sub(r"<[^>]*>", "", body)).strip()
    return out


def index_of(page_number: int) -> int:
    """PDF page index of a printed page number."""
    return page_number - FIRST_PAGE


LEADER_LINE = re.compile(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", re.M)


# ---------------------------------------------------------------- contents, index, cross-references


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def test_toc_page_numbers_point_at_the_headings(printed: Printed, edition: str) -> None:
    text = pages(printed.pdfs[edition])
    toc = [(t, int(n)) for t, n in LEADER_LINE.findall(text[1])]
    root = ET.fromstring(
        re.search(r"<nav class=\"toc\".*?</nav>", printed.html(edition), re.S).group(0)
    )
    expected = ["".join(a.itertext()).strip() for a in root.iter("a")]
    assert [t for t, _ in toc] == expected and len(expected) >= 10
    for title, number in toc:
        assert flat(title) in flat(text[index_of(number)]), f"{title} is not on page {number}"
    # Chapters start on a new page; on a right-hand one only in the print layout
    # (tests/test_print_flow.py).
    chapters = [
        n
        for t, n in toc
        if t in {"報告說明", "报告说明", "About this report", "附錄", "附录", "Appendix"}
    ]
    assert chapters and all(text[index_of(n) - 1].strip() for n in chapters), "no blank page"


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def test_content_index_and_xref_page_numbers(printed: Printed, edition: str) -> None:
    text = pages(printed.pdfs[edition])
    html = printed.html(edition)
    toc = dict(LEADER_LINE.findall(text[1]))
    appendix = re.search(r'<li class="toc-1"><a href="#index">([^<]+)</a>', html).group(1)
    rows = [
        (re.split(r"\s{2,}", t)[-1], int(n))  # the last column: section ..... page
        for page in text[index_of(int(toc[appendix])) :]
        for t, n in LEADER_LINE.findall(page)
    ]
    assert len(rows) >= 10
    heads = heading_texts(html)
    known = {flat(v) for v in heads.values()}
    index_html = html[html.index('class="content-index"') :]
    targets = re.findall(r'<a[^>]*href="#([^"]+)"[^>]*class="index-ref"', index_html)
    targets = targets or re.findall(r'<a[^>]*class="index-ref"[^>]*href="#([^"]+)"', index_html)
    assert len(targets) == len(rows)
    on_table = 0
    for (title, number), target in zip(rows, targets, strict=True):
        assert flat(title) in known
        page = flat(text[index_of(number)])
        # The table's first figure (labels wrap across the columns in pdftotext -layout).
        table = re.search(rf'id="{re.escape(target)}">.*?<td class="num">([^<]+)', html, re.S)
        if table is not None:
            # A code disclosed by a table points at the table: its page holds the figures.
            on_table += 1
            assert flat(table.group(1)) in page, f"index: {title}'s table is not on page {number}"
        else:
            assert flat(title) in page, f"index: {title} is not on page {number}"
    assert on_table >= 5  # the fixture has 9 such links
    # cross-references print the page of their target
    xrefs = re.findall(r'<a href="#([^"]+)" class="xref">', html)
    assert xrefs
    page_ref = {"zh-Hant": r"（第(\d+)頁）", "zh-Hans": r"（第(\d+)页）", "en": r"\(p\. ?(\d+)\)"}[
        edition
    ]
    numbers = [
        int(n)
        for page in text
        for n in re.findall(page_ref, flat(page) if edition != "en" else page)
    ]
    assert len(numbers) >= len(xrefs)
    for target, number in zip(xrefs, numbers, strict=False):
        assert flat(heads[target]) in flat(text[index_of(number)])


def test_ids_are_namespaced_and_links_rewritten(printed: Printed) -> None:
    hant = printed.html("zh-Hant")
    assert 'id="climate--管理方針"' in hant and 'id="people--管理方針"' in hant
    assert 'id="climate.mitigation"' in hant  # keys stay as they are
    en = printed.html("en")
    assert '<a href="#climate--management-approach" class="xref">' in en
    assert ".md#" not in en and ".md#" not in hant
    # generated link texts are the printed heading, not its template source
    assert "{{" not in hant and "footnote(" not in en


# ---------------------------------------------------------------- footnotes


def footnote_calls(html: str) -> list[tuple[str, int, str]]:
    """(text before the call, number, first words of the note) of every note placed in print."""
    out = []
    for m in re.finditer(
        r'<span class="footnote" id="fn-\d+" data-n="(\d+)"[^>]*>([^<]{1,14})', html
    ):
        before = re.sub(
            r'<span class="footnote".*?</span>|<sup class="fn-call.*?</sup>',
            "",
            html[max(0, m.start() - 300) : m.start()],
        )
        before = unescape(re.sub(r"<[^>]*>", "", before.split(">", 1)[-1]))
        out.append((before, int(m.group(1)), unescape(m.group(2))))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def test_each_footnote_is_on_the_page_of_its_call(printed: Printed, edition: str) -> None:
    text = pages(printed.pdfs[edition])
    html = printed.html(edition)
    calls = footnote_calls(html)
    assert len(calls) >= 8  # one note per number, numbered through the edition
    assert '<section class="footnotes"' not in html  # no end-of-chapter list in print
    start = 2
    for before, n, note in calls:
        # the call follows the text, or the calls before it: 气体7,8
        call = re.compile(re.escape(flat(before)[-3:]) + rf"(?:\d+,)*{n}")
        call_page = next(i for i in range(start, len(text)) if call.search(flat(text[i])))
        start = call_page
        note_line = re.compile(rf"^\s*{n}\s+{re.escape(note.strip()[:6])}", re.M)
        assert note_line.search(text[call_page]), (
            f"note {n} ({note}) is not at the foot of PDF page {call_page + 1}"
        )
    numbers = [n for _, n, _ in calls]
    assert numbers == list(range(1, len(numbers) + 1))  # once each, in reading order


def test_calls_link_to_their_note(printed: Printed) -> None:
    html = printed.html("zh-Hant")
    calls = re.findall(
        r'<sup class="fn-call[^"]*">,?<a class="fn-link" href="#fn-(\d+)">\1</a>', html
    )
    notes = re.findall(r'<span class="footnote" id="fn-(\d+)"', html)
    assert len(calls) >= len(notes) >= 8  # a note called again in one table keeps its number
    assert set(calls) == set(notes)
    assert 'class="fn-ref"' not in html  # every call is a linked fn-call in print


# ---------------------------------------------------------------- page furniture


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def test_running_headers_alternate_and_first_page_number(printed: Printed, edition: str) -> None:
    verso, recto = HEADERS[edition]
    text = pages(printed.pdfs[edition])
    assert str(FIRST_PAGE) not in text[0]  # the cover has no header
    with_header = 0
    for i, page in enumerate(text[1:], start=1):
        number = FIRST_PAGE + i
        if not page.strip():
            continue  # a blank page before a chapter opener
        first = next(line for line in page.split("\n") if line.strip())
        words = first.split()
        if number % 2 == 0:
            assert words[0] == str(number) and verso in first, f"page {number}: {first!r}"
        else:
            assert words[-1] == str(number) and recto in first, f"page {number}: {first!r}"
        with_header += 1
    assert with_header == sum(1 for page in text[1:] if page.strip()) >= len(text) // 2


def test_cover(printed: Printed) -> None:
    cover = pages(printed.pdfs["zh-Hant"])[0]
    for word in (
        "示例集團",
        "2024年環境、社會及管治報告",
        "繁體中文版",
        "示例報告",
        "數據均為虛構",
    ):
        assert word in flat(cover)
    en = pages(printed.pdfs["en"])[0]
    assert "Englishedition" in flat(en) and "Thisisatestsample" in flat(en)


@pytest.mark.slow
def test_first_page_number_is_configurable(tmp_path: Path) -> None:
    root = copy_project("print", tmp_path / "p")
    report = root / "data" / "report.yaml"
    edit(report, "first_page: 110", "first_page: 7")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        render(root, ("en",))
        pdf = build(root, ("en",), layout="print")["en"]  # recto starts: docs/print.md
    finally:
        os.chdir(cwd)
    assert pdf.name.endswith("-en-print.pdf")
    text = pages(pdf)
    toc_index = next(i for i, page in enumerate(text) if "Contents" in page)
    number = 7 + toc_index
    assert (
        number % 2 == 1
    )  # the cover is page 7, a right-hand page; the contents start on a right-hand page
    header = next(line for line in text[toc_index].split("\n") if line.strip()).split()
    assert header == ["Annual", "Report", "2024", str(number)]
    about = int(dict(LEADER_LINE.findall(text[toc_index]))["About this report"])
    assert about % 2 == 1 and "About this report" in text[about - 7]


# ---------------------------------------------------------------- PDF properties


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_is_tagged_with_metadata_and_subset_fonts(printed: Printed, edition: str) -> None:
    pdf = printed.pdfs[edition]
    assert pdf.name == f"printdemo-2024-{edition}.pdf" and pdf.parent.name == "dist"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    title, author = {
        "zh-Hant": ("2024年環境、社會及管治報告", "示例集團"),
        "zh-Hans": ("2024年环境、社会及管治报告", "示例集团"),
        "en": ("2024 Environmental, Social and Governance Report", "Example Group"),
    }[edition]
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.M)
    assert re.search(rf"^Author:\s+{re.escape(author)}$", info, re.M)
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name, *_rest = row.split()
        emb, sub = row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes") and re.match(r"[A-Z]{6}\+", name), row
    face = {"zh-Hant": "Noto-Sans-CJK-HK", "zh-Hans": "Noto-Sans-CJK-SC", "en": "Noto-Sans-CJK-SC"}[
        edition
    ]
    # The CJK face and Noto Sans for Latin text (test_pdf_standards.py checks which is which).
    assert all(re.search(r"\+(Noto-Sans|esgpress-Latin)", row) for row in rows), fonts
    assert sum(face in row for row in rows) >= 2, (
        fonts
    )  # regular and bold text in the edition's face
    assert edition == "zh-Hant" or "-HK" not in fonts


def test_pdf_language_and_outline(printed: Printed) -> None:
    from pypdf import PdfReader

    reader = PdfReader(printed.pdfs["zh-Hant"])
    assert reader.trailer["/Root"]["/Lang"] == "zh-HK"

    def titles(outline: list) -> list[str]:
        out = []
        for item in outline:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    marks = titles(reader.outline)
    assert (
        "報告說明" in marks and "氣候減緩與適應" in marks and "目錄" in marks
    )  # h1, h2 and the contents
    assert "管理方針" not in marks  # h3 is not bookmarked
    assert not any("{{" in m for m in marks)


@pytest.mark.slow
def test_text_is_extractable_and_in_the_right_script(printed: Printed) -> None:
    from esgpress.editions.leaks import find_script_leaks

    hant = "\n".join(pages(printed.pdfs["zh-Hant"]))
    hans = "\n".join(pages(printed.pdfs["zh-Hans"]))
    assert "報告說明" in hant and "溫室氣體" in hant and "444,774.36" in hant
    assert "报告说明" in hans and "温室气体" in hans
    assert "\ufffd" not in hant + hans
    assert find_script_leaks(hant, "zh-Hant") == []
    assert find_script_leaks(hans, "zh-Hans") == []
    assert find_script_leaks(
        hans, "zh-Hant"
    )  # the check can see Simplified text when there is some


# ---------------------------------------------------------------- PDF/A-3b, speed-ups, failures


@pytest.mark.slow
def test_pdfa3b_attaches_the_kpi_data_and_skips_when_up_to_date(
    printed: Printed, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    root = copy_project(printed.root, tmp_path / "p", keep=("build",))
    pdf = build(root, ("en",), variant="pdf/a-3b")["en"]
    err = capfd.readouterr().err
    assert re.search(r"pdf en: started", err)
    assert re.search(r"pdf en: laid out \d+ pages \(\d+\.\d s\)", err)
    # written beside the default (UA-1 + A-3) file, no longer over it
    assert re.search(r"pdf en: written printdemo-2024-en-a3b\.pdf \(\d+\.\d s\)", err)
    attachments = PdfReader(pdf).attachments
    assert list(attachments) == ["kpis.csv"]
    csv_bytes = attachments["kpis.csv"][0]
    # The data centre's CSV export, as the site offers it (rounded as the tables print).
    from esgpress.data.loader import load_project
    from esgpress.editions.i18n import Localizer
    from esgpress.workflows.export import export_bytes

    dataset, _ = load_project(root)
    assert csv_bytes == export_bytes(dataset, Localizer(dataset, "en"), "csv")
    lines = csv_bytes.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,group,topic,label,unit,year,segment,value,qualifier,missing,")
    energy = "env.energy.total,Energy,Environment,Total energy consumption,MWh,2024,"
    assert energy + ",444774.36,,,2," in "\n".join(lines)
    assert energy + "Smartphone × AIoT,210187.12,,,2," in "\n".join(lines)
    assert any(line.startswith("env.ghg.intensity,") and ",2024,,0.57," in line for line in lines)
    assert any(
        line.startswith("soc.training.hours,") and ",2022,,,,not_reported," in line
        for line in lines
    )
    mtime = pdf.stat().st_mtime_ns
    build(root, ("en",), variant="pdf/a-3b")
    assert "pdf en: up to date" in capfd.readouterr().err
    assert pdf.stat().st_mtime_ns == mtime


@pytest.mark.slow
def test_a_missing_glyph_fails_and_keeps_the_previous_pdf(printed: Printed, tmp_path: Path) -> None:
    covered = subprocess.run(
        ["fc-list", f":charset={ord(UNCOVERED):x}", "family"], capture_output=True, text=True
    ).stdout
    assert covered.strip() == "", (
        f"U+{ord(UNCOVERED):X} is covered by {covered}; pick another code point"
    )
    root = copy_project(printed.root, tmp_path / "p", keep=("build", "dist"))
    pdf = root / "dist" / "printdemo-2024-en.pdf"
    before = pdf.read_bytes()
    chapter = root / "build" / "render" / "en" / "about.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + f"\nNo font has: {UNCOVERED}\n", encoding="utf-8"
    )
    with pytest.raises(EsgError, match=r"en: .*glyph.*U\+F0000"):
        build(root, ("en",), force=True)
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == sorted(
        printed.pdfs[e].name for e in EDITIONS
    )


def test_a_missing_image_names_the_chapter(printed: Printed, tmp_path: Path) -> None:
    from esgpress.pdf.printhtml import assemble

    root = copy_project(printed.root, tmp_path / "p", keep=("build",))
    chapter = root / "build" / "render" / "zh-Hans" / "people.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\n![图](images/missing.png)\n", encoding="utf-8"
    )
    dataset, _ = load_project(root)
    with pytest.raises(
        EsgError, match=r"content/zh/people\.md.*image 'images/missing\.png' does not exist"
    ):
        assemble(root, dataset, "zh-Hans")


def test_a_broken_link_names_the_chapter(printed: Printed, tmp_path: Path) -> None:
    from esgpress.pdf.printhtml import assemble

    root = copy_project(printed.root, tmp_path / "p", keep=("build",))
    chapter = root / "build" / "render" / "en" / "about.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nSee [nowhere](climate.md#no-such-heading).\n",
        encoding="utf-8",
    )
    dataset, _ = load_project(root)
    with pytest.raises(EsgError, match=r"content/en/about\.md.*climate\.md#no-such-heading"):
        assemble(root, dataset, "en")


def test_the_url_fetcher_serves_the_project_only(printed: Printed) -> None:
    from esgpress.pdf.fetcher import make_fetcher

    fetch = make_fetcher(printed.root)
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.com/x.css",
        printed.root.as_uri() + "/build/../data/kpis.yaml",
    ):
        with pytest.raises(EsgError, match=re.escape(url)):
            fetch(url)
    css = fetch((printed.root / "build" / "print" / "en" / "report.html").as_uri())
    assert b"<html" in css.read()
    assert fetch("data:text/plain,hi").read() == b"hi"


def job_for(root: Path, body: str, tmp: Path, edition: str = "en") -> object:
    from esgpress.pdf.workers import Job

    # The sample's stylesheet, as a project's own (the print edition reads only project files).
    own = root / "templates" / "print" / "print.css"
    if not own.is_file():
        own.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(__file__).parents[1] / "templates" / "print" / "print.css", own)
    css = own.as_uri()
    head = f'<head><link rel="stylesheet" href="{css}"></head>'
    html = f'<!DOCTYPE html><html lang="en">{head}<body>{body}</body></html>'
    page = root / "build" / "print" / edition / "report.html"
    return Job(str(root), edition, str(page), html, str(tmp / "out.pdf"), "pdf/ua-1")


def test_a_remote_resource_in_the_html_fails_the_build(printed: Printed, tmp_path: Path) -> None:
    from esgpress.pdf.workers import print_edition

    job = job_for(
        printed.root, '<div style="background: url(http://127.0.0.1/x.png)">x</div>', tmp_path
    )
    result = print_edition(job)  # type: ignore[arg-type]
    assert result.error and "refused to fetch http://127.0.0.1/x.png" in result.error
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.slow
def test_the_print_edition_gives_weasyprint_no_warnings(printed: Printed, tmp_path: Path) -> None:
    from esgpress.pdf.workers import Job, print_edition

    page = printed.root / "build" / "print" / "zh-Hant" / "report.html"
    job = Job(
        str(printed.root),
        "zh-Hant",
        str(page),
        printed.html("zh-Hant"),
        str(tmp_path / "out.pdf"),
        "pdf/ua-1",
    )
    result = print_edition(job)
    assert result.error is None and result.warnings == []


def test_other_warnings_are_reported_not_fatal(printed: Printed, tmp_path: Path) -> None:
    from esgpress.pdf.workers import print_edition

    body = '<p style="font-wobble: 3">Unknown CSS that mentions fonts.</p>'
    result = print_edition(job_for(printed.root, body, tmp_path))  # type: ignore[arg-type]
    assert result.error is None and (tmp_path / "out.pdf").is_file()
    assert any("font-wobble" in w for w in result.warnings)


def test_a_table_wider_than_the_page_fails(printed: Printed, tmp_path: Path) -> None:
    from esgpress.pdf.workers import print_edition

    cells = "".join(f"<td class='num'>{n:,}.00</td>" for n in range(10**9, 10**9 + 14))
    body = f"<table class='kpi-table'><caption>Too wide</caption><tr>{cells}</tr></table>"
    result = print_edition(job_for(printed.root, body, tmp_path))  # type: ignore[arg-type]
    assert (
        result.error
        and "a table 'Too wide' is" in result.error
        and "wider than the text area" in result.error
    )


def test_table_headers_repeat_on_every_page(printed: Printed, tmp_path: Path) -> None:
    from esgpress.pdf.workers import print_edition

    rows = "".join(
        f"<tr class='level-0'><th class='label'>Row {i}</th><td class='num'>{i}.00</td></tr>"
        for i in range(120)
    )
    body = (
        "<table class='kpi-table'>"
        "<thead><tr><th class='label'>Indicator</th><th>2024</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    result = print_edition(job_for(printed.root, body, tmp_path))  # type: ignore[arg-type]
    assert result.error is None and result.pages >= 2
    text = pages(tmp_path / "out.pdf")
    assert all("Indicator" in page for page in text)
    # rows are never split: every row label is followed by its figure on the same line
    assert all(re.search(rf"Row {i}\s+{i}\.00", "\n".join(text)) for i in range(120))


def test_markdown_extensions_match_the_site() -> None:
    from esgpress.render.markdown_html import EXTENSIONS

    mkdocs = Path(__file__).parents[1] / "mkdocs.yml"
    if not mkdocs.is_file():
        pytest.skip("no mkdocs.yml")
    text = mkdocs.read_text(encoding="utf-8")
    block = re.search(r"^markdown_extensions:\n((?:[ #].*\n|\n)*)", text, re.M)
    assert block, "mkdocs.yml has no markdown_extensions"
    names = re.findall(r"^  - ([\w.]+)", block.group(1), re.M)
    assert tuple(names) == EXTENSIONS
    assert "pymdownx.slugs.slugify {kwds: {case: lower}}" in block.group(1)


def test_english_prose_gets_typographic_apostrophes(printed: Printed) -> None:
    text = "".join(pages(printed.pdfs["en"]))
    # Chapter prose goes through Markdown's smarty; texts from the data print as typed.
    assert "the Group’s total revenue" in text
    assert "the Group's total revenue" not in text


def test_more_editions_than_cores_the_largest_keeps_its_priority(monkeypatch, tmp_path):
    """With more editions than cores, the smaller ones yield a step to the largest.

    (So the largest does not end last and alone with a core idle; the effect
    is on time, measured by `make bench`; this checks who gets which step.)
    """
    from esgpress.pdf import workers as pdf

    def niceness(job: pdf.Job) -> pdf.Result:  # runs in the forked worker
        return pdf.Result(job.edition, job.out, warnings=[str(os.nice(0))])

    monkeypatch.setattr(pdf, "_print_edition", niceness)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    sizes = {"zh-Hant": 10, "zh-Hans": 10, "en": 12}
    jobs = [
        pdf.Job(str(tmp_path), e, "x.html", "x" * n, str(tmp_path / f"{e}.pdf"), "pdf/ua-1")
        for e, n in sizes.items()
    ]
    base = os.nice(0)
    steps = {r.edition: int(r.warnings[0]) - base for r in pdf.run_jobs(jobs)}
    assert steps == {"zh-Hant": 1, "zh-Hans": 1, "en": 0}
    monkeypatch.setattr(os, "cpu_count", lambda: 4)  # a core each: nobody yields
    steps = {r.edition: int(r.warnings[0]) - base for r in pdf.run_jobs(jobs)}
    assert steps == {"zh-Hant": 0, "zh-Hans": 0, "en": 0}


def test_a_worker_that_dies_is_an_error_not_a_hang(monkeypatch, tmp_path):
    from esgpress.pdf import workers as pdf

    def die(job: pdf.Job) -> pdf.Result:
        if job.edition == "en":
            os._exit(3)  # as if killed: no result is ever sent
        return pdf.Result(job.edition, job.out)

    monkeypatch.setattr(pdf, "_print_edition", die)
    jobs = [
        pdf.Job(str(tmp_path), e, "x.html", "x", str(tmp_path / f"{e}.pdf"), "pdf/ua-1")
        for e in EDITIONS
    ]
    errors = {r.edition: r.error for r in pdf.run_jobs(jobs)}
    assert errors == {
        "zh-Hant": None,
        "zh-Hans": None,
        "en": "en: the PDF worker ended unexpectedly (exit code 3)",
    }


@pytest.mark.parametrize("edition", EDITIONS)
def test_figures_and_units_in_the_pdf_text_follow_the_editions_rule(
    printed: Printed, edition: str
) -> None:
    """The PDF prints what the house style wrote (data/report.yaml `style:`), no other spacing."""
    from esgpress.editions.i18n import Localizer

    dataset, _ = load_project(printed.root)
    style = Localizer(dataset, edition).style
    text = subprocess.run(
        ["pdftotext", str(printed.pdfs[edition]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert style.pair is not None
    assert len(style.pair.findall(text)) > 5  # the fixture prints figures with units
    assert list(style.breaks(text)) == []
    if edition != "en":
        assert not re.search("[“”]", text)
