"""Report archive, policies, contact footer and social card (docs/site.md, "Archive …").

The loader's checks run on a copy of the site fixture with a broken
``data/report.yaml``; the pages are read from the fixture site built once by
tests/test_site.py (2023 and 2022 in ``archive:``, one dated policy, a
contact with an address).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from conftest import copy_project
from esgpress.core.errors import Problems
from esgpress.data.loader import load_dataset
from test_site import LOCALES, PREFIX, SITE_HOST, Built, build_fixture_site, parse, read


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture_site(tmp_path_factory)


def errors_of(project: Path, text: str) -> list[str]:
    """The errors of the report file after appending ``text`` to the fixture's."""
    path = project / "data" / "report.yaml"
    base = path.read_text(encoding="utf-8")
    base = base[: base.index("contact:")]  # the fixture's own blocks are replaced
    path.write_text(base + text, encoding="utf-8")
    problems = Problems()
    load_dataset(project, problems)
    return [str(p) for p in problems.errors]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project("site", tmp_path / "project")


def line_of(project: Path, needle: str) -> int:
    lines = (project / "data" / "report.yaml").read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_paths_must_stay_inside_the_project(project: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.4 secret")
    (project / "archive" / "link.pdf").symlink_to(tmp_path / "outside.pdf")
    errors = errors_of(
        project,
        "archive:\n"
        "  - year: 2023\n"
        "    reports:\n"
        "      - {edition: en, file: ../outside.pdf}\n"
        "      - {edition: zh-Hans, file: /etc/passwd}\n"
        "      - {edition: zh-Hant, file: archive/link.pdf}\n"
        "      - {edition: en, file: archive/missing.pdf}\n",
    )
    n = line_of(project, "../outside.pdf")
    assert errors == [
        f"data/report.yaml:{n}:29: archive 2023.reports.file should be a path inside "
        "the project folder, not '../outside.pdf'",
        f"data/report.yaml:{n + 1}:34: archive 2023.reports.file should be a path inside "
        "the project folder, not '/etc/passwd'",
        f"data/report.yaml:{n + 2}:34: archive 2023.reports.file 'archive/link.pdf' leads "
        "out of the project folder (a symbolic link?)",
        f"data/report.yaml:{n + 3}:29: archive 2023.reports.file: no file "
        "'archive/missing.pdf' in the project folder",
    ]


def test_unknown_keys_and_wrong_values_are_located(project: Path) -> None:
    errors = errors_of(
        project,
        "contact:\n"
        "  emial: esg@example.com\n"
        "  url: www.example.com\n"
        "archive:\n"
        "  - year: 2023\n"
        "    reports:\n"
        "      - {edtion: en, url: https://example.com/r.pdf}\n"
        "      - {edition: fr, url: https://example.com/r.pdf}\n"
        "      - {edition: en, url: https://example.com/r.pdf, file: archive/2023/x.pdf}\n"
        "  - year: 2023\n"
        "    reports: []\n"
        "policies:\n"
        "  - {title: Policy, file: policies/demo-policy.pdf, date: 1 June 2024}\n",
    )
    contact = line_of(project, "contact:")
    first = line_of(project, "edtion")
    assert errors == [
        f"data/report.yaml:{first}:10: unknown key 'edtion' in archive 2023.reports "
        "(did you mean edition?)",
        f"data/report.yaml:{first}:9: archive 2023.reports needs 'edition'",
        f"data/report.yaml:{first + 1}:19: archive 2023.reports.edition: unknown edition "
        "'fr'; choose from zh-Hant, zh-Hans, en",
        f"data/report.yaml:{first + 2}:9: archive 2023.reports needs either 'file' "
        "(a path in the project) or 'url', one of them",
        f"data/report.yaml:{first + 3}:5: archive: the year 2023 is listed twice",
        f"data/report.yaml:{first + 6}:59: policy.date should be a date written as "
        "YYYY-MM-DD, not '1 June 2024'",
        f"data/report.yaml:{contact + 1}:3: unknown key 'emial' in contact (did you mean email?)",
        f"data/report.yaml:{contact + 2}:8: contact.url should be an absolute address "
        "(https://…), not 'www.example.com'",
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_reports_by_year_lists_every_year_and_edition(built: Built, locale: str) -> None:
    html = read(built, PREFIX[locale] + "reports.html")
    years = re.findall(r'<h2 id="reports-(\d{4})"', html)
    assert years == ["2024", "2023", "2022"]
    hrefs = [a["href"] for tag, a in parse(html).elements if tag == "a" and a.get("href")]
    files = "../" * PREFIX[locale].count("/") + "files/"
    # This year's three PDFs, the earlier years' files in the project and addresses.
    for e in LOCALES:
        assert f"{files}demo-esg-2024-{e}.pdf" in hrefs
    assert f"{files}library/archive/2023/demo-esg-2023-zh-Hans.pdf" in hrefs
    assert f"{files}library/archive/2023/demo-esg-2023-data.csv" in hrefs
    assert "https://www.example.com/esg/2023-report.pdf" in hrefs
    assert "https://www.example.com/esg/2022-report.pdf" in hrefs
    # The files are published, byte for byte, and nothing else under library/.
    published = sorted(
        p.relative_to(built.site / "files" / "library").as_posix()
        for p in (built.site / "files" / "library").rglob("*")
        if p.is_file()
    )
    assert published == [
        "archive/2023/demo-esg-2023-data.csv",
        "archive/2023/demo-esg-2023-zh-Hans.pdf",
        "policies/demo-policy.pdf",
    ]
    source = built.project / "archive" / "2023" / "demo-esg-2023-zh-Hans.pdf"
    copy = built.site / "files" / "library" / "archive" / "2023" / "demo-esg-2023-zh-Hans.pdf"
    assert copy.read_bytes() == source.read_bytes()
    size = round(source.stat().st_size / 1000)
    assert f"{size} KB" in html


@pytest.mark.parametrize(
    ("locale", "date", "title"),
    [
        ("zh-Hant", "2024年6月1日", "示例反腐敗政策"),
        ("zh-Hans", "2024年6月1日", "示例反腐败政策"),
        ("en", "1 June 2024", "Example Anti-corruption Policy"),
    ],
)
def test_policies_listed_with_size_and_date(
    built: Built, locale: str, date: str, title: str
) -> None:
    html = read(built, PREFIX[locale] + "downloads.html")
    pattern = r'<a class="esg-download" href="([^"]*demo-policy\.pdf)">(.*?)</a>'
    entry = re.search(pattern, html, re.S)
    assert entry is not None
    size = round((built.project / "policies" / "demo-policy.pdf").stat().st_size / 1000)
    text = re.sub(r"<[^>]+>", "", entry.group(2))
    assert title in text and f"{size} KB" in text and date in text
    assert '<time datetime="2024-06-01">' in entry.group(2)
    assert 'href="reports.html"' in html  # the archive is linked from downloads …
    assert 'href="reports.html"' in read(built, PREFIX[locale] + "data.html")  # … data
    assert 'href="reports.html"' in read(built, PREFIX[locale] + "index.html")  # … landing


@pytest.mark.parametrize("locale", LOCALES)
def test_contact_in_the_footer(built: Built, locale: str) -> None:
    html = read(built, PREFIX[locale] + "climate.html")
    footer = re.search(r'<address class="esg-contact">(.*?)</address>', html, re.S)
    assert footer is not None
    hrefs = [a["href"] for tag, a in parse(footer.group(1)).elements if tag == "a"]
    assert hrefs == [
        "mailto:esg@example.com",
        "https://www.example.com/esg",
        "https://www.example.com/esg/feedback",
    ]
    address = {"zh-Hant": "示例市示例路1號", "zh-Hans": "示例市示例路1号"}
    assert address.get(locale, "1 Example Road, Example City") in footer.group(1)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("locale", LOCALES)
def test_social_card_is_drawn_and_referenced(built: Built, locale: str) -> None:
    card = built.site / PREFIX[locale] / "social-card.png"
    assert png_size(card.read_bytes()) == (1200, 630)
    url = f"https://{SITE_HOST}/{PREFIX[locale]}social-card.png"
    for page in ("index.html", "climate.html", "reports.html"):
        elements = parse(read(built, PREFIX[locale] + page)).elements
        metas = {
            (a.get("property") or a.get("name")): a.get("content")
            for tag, a in elements
            if tag == "meta"
        }
        assert metas["og:image"] == url, page
        assert metas["twitter:image"] == url
        assert metas["twitter:card"] == "summary_large_image"
        assert (metas["og:image:width"], metas["og:image:height"]) == ("1200", "630")
        assert metas["og:image:alt"]


def test_social_cards_differ_by_edition(built: Built) -> None:
    cards = {(built.site / PREFIX[e] / "social-card.png").read_bytes() for e in LOCALES}
    assert len(cards) == 3
