"""The microsite, built from a small three-edition fixture (tests/fixtures/site).

One strict MkDocs build per test session (``built_site``); the other tests read
its output. The build runs exactly as ``esgpress build`` does, with the
repository's mkdocs.yml and theme overrides.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import copy_project, edit
from esgpress.core.errors import EsgError, Problems
from esgpress.data.loader import load_dataset
from esgpress.site.chapters import first_paragraph, plain_text, rewrite_links, shorten
from esgpress.site.config import page_name, site_settings
from esgpress.site.search import partition

REPO = Path(__file__).resolve().parent.parent
LOCALES = ("zh-Hant", "zh-Hans", "en")
PREFIX = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}
PAGES = (
    "about.html",
    "climate.html",
    "content-index.html",
    "data.html",
    "downloads.html",
    "index.html",
    "people.html",
    "reports.html",
)
CHARTS = (
    "env-energy-stacked.svg",
    "env-ghg-scope1-env-ghg-scope2-bar.svg",
    "env-renewable-share-line.svg",
)
SITE_HOST = "esg.example.com"  # site.url of the fixture


@dataclass
class Built:
    """A built fixture site and what the build logged."""

    project: Path
    site: Path
    warnings: list[logging.LogRecord]
    timings: dict[str, float]


_CACHE: dict[str, Built] = {}


def build_fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build the fixture once per session (shared with tests/test_browser.py)."""
    if "site" in _CACHE:
        return _CACHE["site"]
    from esgpress.site.build import build_site

    base = tmp_path_factory.mktemp("site-build")
    project = copy_project("site", base / "project")
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect(level=logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        report = build_site(project, config_file=REPO / "mkdocs.yml", site_dir=base / "site")
    finally:
        root.removeHandler(handler)
    _CACHE["site"] = Built(project, base / "site", records, report.timings)
    return _CACHE["site"]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture_site(tmp_path_factory)


def read(built: Built, rel: str) -> str:
    return (built.site / rel).read_text(encoding="utf-8")


class Links(HTMLParser):
    """Collects (tag, attributes) of every element, plus inline script/style text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.inline: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


# ---------------------------------------------------------------- the build


def test_strict_build_logs_no_warnings(built):
    assert [f"{r.name}: {r.getMessage()}" for r in built.warnings] == []


def test_built_paths(built):
    ours = sorted(
        p.relative_to(built.site).as_posix()
        for p in built.site.rglob("*")
        if p.is_file()
        and not p.relative_to(built.site)
        .as_posix()
        .startswith(("assets/javascripts/", "assets/stylesheets/", "assets/images/"))
    )
    expected = [
        "404.html",
        "assets/components.css",
        "assets/esgpress-search.js",
        "assets/esgpress.css",
        "assets/esgpress.js",
        "assets/logo.svg",
        "robots.txt",
        # the project's own files of archive: and policies: (tests/test_site_archive.py)
        "files/library/archive/2023/demo-esg-2023-data.csv",
        "files/library/archive/2023/demo-esg-2023-zh-Hans.pdf",
        "files/library/policies/demo-policy.pdf",
    ]
    for locale in LOCALES:
        prefix = PREFIX[locale]
        expected += [f"{prefix}{p}" for p in PAGES]
        expected += [f"{prefix}charts/{c}" for c in CHARTS]
        expected += [
            f"{prefix}search/search_index.json",
            f"{prefix}sitemap.xml",
            f"{prefix}sitemap.xml.gz",
            f"{prefix}social-card.png",
        ]
        expected += [f"files/demo-esg-2024-data-{locale}.{fmt}" for fmt in ("csv", "json", "xlsx")]
    assert ours == sorted(expected)


def test_timings_per_locale(built):
    for locale in LOCALES:
        assert built.timings[f"site {locale}"] > 0


@pytest.mark.parametrize("locale", LOCALES)
def test_html_lang(built, locale):
    for page in PAGES:
        html = read(built, PREFIX[locale] + page)
        assert re.search(rf'<html lang="{locale}"', html), page


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("page", ["index.html", "climate.html", "data.html"])
def test_hreflang_alternates_and_switcher_stay_on_the_page(built, locale, page):
    here = built.site / (PREFIX[locale] + page)
    elements = parse(here.read_text(encoding="utf-8")).elements
    alternates = {
        a["hreflang"]: a["href"]
        for tag, a in elements
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang")
    }
    assert set(alternates) == {*LOCALES, "x-default"}
    switcher = {
        a["hreflang"]: a["href"]
        for tag, a in elements
        if tag == "a" and "md-select__link" in (a.get("class") or "")
    }
    assert set(switcher) == set(LOCALES)
    # hreflang alternates are absolute (search engines want them so); site.url of the fixture.
    for lang in LOCALES:
        assert alternates[lang] == f"https://{SITE_HOST}/{PREFIX[lang]}{page}", lang
        href = switcher[lang]
        target = (
            (here.parent / href).resolve()
            if not href.startswith("/")
            else built.site / href.lstrip("/")
        )
        assert target == (built.site / (PREFIX[lang] + page)).resolve(), (lang, href)
    assert alternates["x-default"] == f"https://{SITE_HOST}/{page}"


def test_sitemap_is_alternate_aware(built):
    sitemap = read(built, "sitemap.xml")
    assert f"<loc>https://{SITE_HOST}/en/climate.html</loc>" in sitemap
    block = sitemap.split(f"<loc>https://{SITE_HOST}/climate.html</loc>")[1].split("</url>")[0]
    for lang in LOCALES:
        assert f'hreflang="{lang}" href="https://{SITE_HOST}/{PREFIX[lang]}climate.html"' in block
    assert f'hreflang="x-default" href="https://{SITE_HOST}/climate.html"' in block
    # lastmod is the publication date (data/report.yaml), not the build's: rebuilds stay identical.
    assert sitemap.count("<lastmod>2025-04-30</lastmod>") == sitemap.count("<url>")
    assert read(built, "en/sitemap.xml") == sitemap


# ---------------------------------------------------------------- no network


#: External hosts Material's bundle names but never contacts on this site:
#: unpkg only for a ResizeObserver polyfill (every supported browser has it)
#: and for Mermaid (no page has a diagram); GitHub only with repo_url (unset);
#: the rest are licence comments and XML namespaces.
BUNDLE_HOSTS_ALLOWED = {"unpkg.com", "github.com", "api.github.com", "www.w3.org"}
RESOURCE_ATTRS = {"src", "srcset", "data", "poster", "action", "formaction"}


def external(url: str) -> str | None:
    if not url.startswith(("http://", "https://", "//")):
        return None
    return urlsplit(url if not url.startswith("//") else "https:" + url).hostname


def test_no_external_resources_in_html(built):
    for path in built.site.rglob("*.html"):
        doc = parse(path.read_text(encoding="utf-8"))
        for tag, attrs in doc.elements:
            for name, value in attrs.items():
                if not value:
                    continue
                host = external(value) if name in RESOURCE_ATTRS or name == "href" else None
                if host is None:
                    continue
                if tag == "a" and name == "href":
                    continue  # an ordinary outbound link a reader may follow
                if (
                    tag == "link"
                    and attrs.get("rel") in ("canonical", "alternate")
                    and host == SITE_HOST
                ):
                    continue  # the site's own public address
                pytest.fail(
                    f"{path.relative_to(built.site)}: <{tag} {name}={value!r}> loads from {host}"
                )
        for text in doc.inline:
            hosts = {external(u) for u in re.findall(r"(?:https?:)?//[\w.-]+[^\s'\"]*", text)}
            assert not (hosts - {None}), (
                f"{path.relative_to(built.site)}: inline code refers to {hosts}"
            )


def external_hosts(text: str) -> set[str]:
    return {h for h in (external(u) for u in re.findall(r"https?://[\w.-]+", text)) if h}


def test_no_external_resources_in_css_and_js(built):
    for path in [*built.site.rglob("*.css"), *built.site.rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(built.site).as_posix()
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, rel
        if path.suffix == ".css":
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(
                r"@import\s+['\"]([^'\"]+)", text
            ):
                assert external(url) is None, f"{rel}: {url}"
        elif rel in ("assets/esgpress.js", "assets/esgpress-search.js"):
            assert external_hosts(text) == set(), rel
        elif rel.startswith("assets/javascripts/"):
            hosts = {external(u) for u in re.findall(r"https?://[\w.-]+", text)} - {None}
            unknown = {
                h for h in hosts if h not in BUNDLE_HOSTS_ALLOWED and not _comment_only(text, h)
            }
            assert not unknown, f"{rel}: {unknown}"
        else:
            pytest.fail(f"unexpected script {rel}")


def _comment_only(text: str, host: str) -> bool:
    """True if every mention of ``host`` is inside a comment or a licence banner."""
    for m in re.finditer(re.escape(host), text):
        before = text[max(0, m.start() - 300) : m.start()]
        if "/*" not in before and "//" not in before.split("\n")[-1] and "@license" not in before:
            return False
    return True


def test_pages_load_no_mermaid_or_other_optional_remote_code(built):
    for path in built.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in html
        assert "repo_url" not in html


# ---------------------------------------------------------------- downloads


def test_downloads_exist_and_are_linked(built):
    for locale in LOCALES:
        data_page = read(built, PREFIX[locale] + "data.html")
        for fmt in ("csv", "xlsx", "json"):
            name = f"demo-esg-2024-data-{locale}.{fmt}"
            assert (built.site / "files" / name).stat().st_size > 200
            href = ("../" if PREFIX[locale] else "") + f"files/{name}"
            assert f'href="{href}"' in data_page
        landing = read(built, PREFIX[locale] + "index.html")
        for edition in LOCALES:  # the PDFs are linked whether or not they are built yet
            assert f"files/demo-esg-2024-{edition}.pdf" in landing


def test_xlsx_numbers_are_numbers_with_number_formats(built):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(built.site / "files" / "demo-esg-2024-data-zh-Hant.xlsx")
    assert wb.sheetnames == ["環境", "社會", "管治"]
    ws = wb["環境"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:4] == ["指標編號", "類別", "議題", "指標"]
    col = header.index("數值") + 1
    dec = header.index("小數位") + 1
    rows = list(ws.iter_rows(min_row=2))
    seen = 0
    for row in rows:
        cell, decimals = row[col - 1], row[dec - 1].value
        if cell.value is None:
            continue
        seen += 1
        assert isinstance(cell.value, (int, float)), cell.value
        assert cell.number_format == ("#,##0" if decimals == 0 else "#,##0." + "0" * decimals)
    assert seen > 20
    first = rows[0]
    assert first[0].value == "env.energy.total" and first[3].value == "綜合能源消耗總量"
    assert first[col - 1].value == pytest.approx(444774.36)


def test_json_and_csv_downloads(built):
    doc = json.loads(read(built, "files/demo-esg-2024-data-en.json"))
    assert doc["report"]["edition"] == "en"
    row = next(r for r in doc["data"] if r["id"] == "env.water.withdrawal" and r["year"] == 2024)
    assert row["value"] == 2286311 and row["unit"] == "t" and row["label"] == "Water withdrawal"
    assert row["footnotes"] == ["Water withdrawal includes municipal supply and reclaimed water."]
    missing = next(r for r in doc["data"] if r["id"] == "env.ghg.scope3" and r["year"] == 2022)
    assert missing["value"] is None and missing["missing"] == "not_applicable"
    csv_text = (built.site / "files" / "demo-esg-2024-data-zh-Hans.csv").read_bytes()
    assert csv_text.startswith("\ufeffid,group,topic,label,unit,year".encode())
    assert "综合能源消耗总量,兆瓦时,2024,,444774.36".encode() in csv_text


# ---------------------------------------------------------------- pages


def test_landing_tiles_use_report_formatting(built):
    html = read(built, "index.html")
    tile = html.split('data-kpi="env.energy.total"')[1].split("</div>")[0]
    assert '<span class="esg-tile__number">444,774.36</span>' in tile
    assert "兆瓦時" in tile and "綜合能源消耗總量" in tile and "較上年 +110.6%" in tile
    en = read(built, "en/index.html")
    share = en.split('data-kpi="env.renewable.share"')[1].split("</div>")[0]
    assert "vs last year +5.8 percentage points" in share
    assert "Climate action" in en and 'href="climate.html"' in en


def test_chapter_pages_render_tables_footnotes_callouts_crossrefs_and_charts(built):
    html = read(built, "climate.html")
    assert '<table class="kpi-table">' in html
    # On the site a KPI table is a named, keyboard-focusable scroll region (markup.py).
    # a table with an id of its own (for the content index) is a region too
    assert re.search(
        r'<div class="kpi-table-wrap" id="tbl-[^"]+" role="region" tabindex="0" aria-label="', html
    )
    assert '<div class="esg-case">' in html and "工廠屋頂光伏" in html
    assert (
        '<img alt="能源" src="charts/env-energy-stacked.svg"' in html
        or 'src="charts/env-energy-stacked.svg"' in html
    )
    assert '<li data-note="ghg_scope" id="fn-1" value="1">' in html or 'id="fn-1" value="1"' in html
    assert 'id="climate.mitigation"' not in html  # the fixture has no such key
    assert 'id="climate.energy"' in html
    assert re.search(r'id="碳中和路徑"', html)  # Unicode slug for a heading without a key
    people = read(built, "people.html")
    assert 'id="fn-7" value="7"' in people  # numbered through the edition (6 in climate)
    assert '<a href="climate.html#climate.energy">能源管理</a>' in people


def test_content_index_chapter_is_renamed_and_links_follow(built):
    about = read(built, "en/about.html")
    assert 'href="content-index.html#index.gri"' in about
    index = read(built, "en/content-index.html")
    assert '<div class="content-index">' in index and "<table>" in index
    # The energy codes are disclosed by the energy table: the link goes to the table itself.
    assert 'href="climate.html#tbl-env-energy"' in index
    climate = read(built, "en/climate.html")
    assert '<div class="kpi-table-wrap" id="tbl-env-energy" role="region"' in climate


def test_search_is_split_per_language(built):
    for locale in LOCALES:
        doc = json.loads(read(built, PREFIX[locale] + "search/search_index.json"))
        locations = [d["location"] for d in doc["docs"]]
        assert "climate.html" in locations
        assert not [x for x in locations if x.startswith(("en/", "zh-Hans/", "zh-Hant/"))]
        assert doc["config"]["lang"] == ["en"]
        assert "\\u200b" in doc["config"]["separator"]
    hant = json.loads(read(built, "search/search_index.json"))
    climate = " ".join(d["text"] for d in hant["docs"] if d["location"].startswith("climate.html"))
    assert (
        "\u200b溫室氣體\u200b" in climate and "\u200b範圍一\u200b" in climate
    )  # the ESG user dictionary
    assert "温室气体" not in climate  # no Simplified entries in the Traditional index


def test_theme_points_search_at_the_language_root(built):
    assert 'cfg.base = "./"' in read(built, "en/climate.html")
    assert 'cfg.base = "./"' in read(built, "climate.html")


# ---------------------------------------------------------------- pure parts


def test_rewrite_links_only_touches_renamed_chapters():
    md = "[a](index.md#index.gri) [b](climate.md#x) [c](https://example.com/index.md)"
    assert rewrite_links(md, {"index": "content-index", "climate": "climate"}) == (
        "[a](content-index.md#index.gri) [b](climate.md#x) [c](https://example.com/index.md)"
    )


def test_page_names_avoid_site_pages():
    assert [page_name(k) for k in ("climate", "index", "data", "downloads")] == [
        "climate",
        "content-index",
        "chapter-data",
        "chapter-downloads",
    ]


def test_first_paragraph_and_shorten():
    md = (
        "# 标题 {#t}\n\n<div>x</div>\n\n本集团**温室气体**排放为1 吨"
        '<sup class="fn-ref"><a href="#fn-1">1</a></sup>，'
        "见[气候](climate.md#c){: .x }。\n第二行。\n\n下一段。"
    )
    assert first_paragraph(md) == "本集团温室气体排放为1 吨，见气候。 第二行。"
    assert shorten("甲" * 50 + "。" + "乙" * 60, True) == "甲" * 50 + "。"
    assert shorten("甲" * 50 + "；" + "乙" * 60, True) == "甲" * 50 + "……"
    assert shorten("word " * 60, False).endswith("…")
    assert plain_text("a &amp; b") == "a & b"


def test_partition_keeps_each_language_and_drops_duplicates():
    docs = [
        {"location": "a.html", "title": "A"},
        {"location": "en/a.html", "title": "A"},
        {"location": "zh-Hans/a.html#x", "title": "X"},
        {"location": "a.html", "title": "A"},
    ]
    parts = partition(docs, ["zh-Hant", "zh-Hans", "en"], "zh-Hant")
    assert parts == {
        "zh-Hant": [{"location": "a.html", "title": "A"}],
        "zh-Hans": [{"location": "a.html#x", "title": "X"}],
        "en": [{"location": "a.html", "title": "A"}],
    }


def test_unknown_headline_kpi_is_reported_with_its_line(tmp_path):
    project = copy_project("site", tmp_path / "p")
    report = project / "data" / "report.yaml"
    edit(report, "- env.ghg.total", "- env.ghg.totl")
    problems = Problems()
    dataset = load_dataset(project, problems)
    assert dataset is not None
    assert "env.ghg.totl" not in site_settings(dataset).headline
    (problem,) = problems.errors
    line = report.read_text(encoding="utf-8").splitlines().index("    - env.ghg.totl") + 1
    assert (problem.path, problem.line) == ("data/report.yaml", line)
    assert (
        "site.headline: unknown KPI 'env.ghg.totl' (did you mean env.ghg.total" in problem.message
    )


def test_build_refuses_bad_site_settings(tmp_path):
    from esgpress.site.build import load_site_data

    project = copy_project("site", tmp_path / "p")
    edit(project / "data" / "report.yaml", "url: https://esg.example.com/", "url: esg.example.com")
    with pytest.raises(EsgError, match=r"site\.url should be an absolute address"):
        load_site_data(project)


def test_the_one_404_page_speaks_every_edition(built):
    page = read(built, "404.html")
    assert '<section lang="zh-Hant"' in page and "找不到這個頁面" in page
    assert '<section lang="zh-Hans"' in page and "找不到这个页面" in page
    assert '<section lang="en"' in page and "Page not found" in page
    assert "404 - Not found" not in page
    # The page around the message is the root edition's (zh-Hant), not the last one built.
    assert '<html lang="zh-Hant"' in page
    # Root-relative links (the path of site.url): the page is shown at whatever address
    # was missing, and they work on any host, even with a placeholder site.url.
    assert '<a href="/en/index.html">' in page
    assert '<a href="/zh-Hans/index.html">' in page
    assert '<section lang="en" data-prefix="en/">' in page
