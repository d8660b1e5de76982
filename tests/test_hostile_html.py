"""Hostile HTML in chapters and data: refused by check, cleaned in every output.

The render's source checks (tests/test_hardening.py) read the Markdown with
Python's HTML parser; these cases are the ones a browser reads differently
(comments ended early, ``<svg><style>`` mutation, schemes behind character
references, ``<iframe srcdoc>``, a chapter ``<style>``), plus data texts from
data/report.yaml that reach MkDocs' own templates. Each must be

* refused by ``esgpress check`` at the chapter's file and line (exit 1),
* absent from the built site (every page, in a real browser: the marker the
  payloads set stays unset, tests/test_hostile_browser.py) and from the
  print HTML, whose PDF keeps its cover and other chapters.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from esgpress.render.markdown_html import markdown_to_html
from esgpress.render.sanitize import removals, sanitize

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

#: (payload, what check says the sanitiser drops)
CASES: list[tuple[str, str]] = [
    (
        '<!--> <img alt="diagram" src="images/flow.svg" onerror="window.esgPwned=1"> -->',
        "onerror= on <img>",
    ),
    ("<!---> <script>window.esgPwned=2</script> -->", "<script>"),
    (
        '<!-- note --!> <img alt="diagram" src="images/flow.svg" onerror="window.esgPwned=3"> -->',
        "onerror= on <img>",
    ),
    ('<iframe srcdoc="&lt;script&gt;parent.esgPwned=4&lt;/script&gt;"></iframe>', "<iframe>"),
    (
        "[click](javascript&#58;window.esgPwned=5)",
        "href= on <a> ('javascript:window.esgPwned=5')",
    ),
    (
        "<svg><style>"
        '<img alt="diagram" src="images/flow.svg" onerror="window.esgPwned=6">'
        "</style></svg>",
        "<svg>",
    ),
    ("<style>body { display: none }</style>", "<style>"),
    (
        "<math><mtext><table><mglyph><style>"
        '<img alt="diagram" src="images/flow.svg" onerror="window.esgPwned=7">',
        "<math>",
    ),
]

#: The company name as data owners might mistype it, or as an attacker would.
HOSTILE_COMPANY = (
    '{zh: "示例</title><script>window.esgPwned=8</script>", '
    'en: "Example \\" onmouseover=\\"window.esgPwned=9\\" '
    '</title><script>window.esgPwned=10</script> &amp; Co"}'
)


#: Entity-escaped markup in a chapter's first paragraph: text on the page, and
#: text again in the page's meta description (it was unescaped there).
ESCAPED = "&lt;script&gt;window.esgPwned=11&lt;/script&gt;"
FIRST_PARAGRAPH = {"en": "This is the", "zh": "本报告是"}


def payload_text() -> str:
    """All cases as paragraphs, one blank line apart (case i is on line 2 + 2*i)."""
    return "\n" + "".join(f"\n{payload}\n" for payload, _ in CASES)


def hostile_project(fixture: str, dest: Path) -> Path:
    """A copy of a fixture with every case appended to about.md and a hostile company name."""
    project = dest / f"hostile-{fixture}"
    shutil.copytree(FIXTURES / fixture, project)
    for lang in ("zh", "en"):
        chapter = project / "content" / lang / "about.md"
        text = chapter.read_text(encoding="utf-8").replace(
            FIRST_PARAGRAPH[lang], f"{ESCAPED} {FIRST_PARAGRAPH[lang]}", 1
        )
        chapter.write_text(text + payload_text(), encoding="utf-8")
        # The payloads hide behind a real image: the build refuses a missing one.
        image = project / "content" / lang / "images" / "flow.svg"
        if not image.is_file():
            image.parent.mkdir(exist_ok=True)
            shutil.copy(FIXTURES / "print" / "content" / lang / "images" / "flow.svg", image)
    report = project / "data" / "report.yaml"
    lines = report.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [f"company: {HOSTILE_COMPANY}\n" if ln.startswith("company:") else ln for ln in lines]
    report.write_text("".join(lines), encoding="utf-8")
    return project


def hostile_markup(html: str) -> list[str]:
    """What in a page, parsed as a browser parses it, could run a payload."""
    from tinyhtml5 import parse

    found = []
    for el in parse(html, namespace_html_elements=False).iter():
        if not isinstance(el.tag, str):
            if "esgPwned" in (el.text or ""):
                found.append("a comment with a payload")
            continue
        found += [f"{name}= on <{el.tag}>" for name in el.attrib if name.startswith("on")]
        if el.tag in ("script", "iframe", "style") and "esgPwned" in "".join(el.itertext()):
            found.append(f"<{el.tag}> with a payload")
        if el.tag in ("iframe", "svg", "math") or "srcdoc" in el.attrib:
            found.append(f"<{el.tag}>")
        found += [
            f"{name}={value}"
            for name, value in el.attrib.items()
            if "javascript:" in value.replace("\t", "").lower()
        ]
    return found


def esgpress(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "esgpress", "--project", str(project), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_refuses_every_case_at_its_line(tmp_path: Path) -> None:
    project = hostile_project("site", tmp_path)
    result = esgpress(project, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for lang in ("zh", "en"):
        base = len((FIXTURES / "site" / "content" / lang / "about.md").read_text().splitlines())
        for i, (_payload, dropped) in enumerate(CASES):
            line = base + 3 + 2 * i
            expected = (
                f"content/{lang}/about.md:{line}: the published page drops {dropped}: it is not "
                "on the allowlist of tags, attributes and link schemes of a report "
                "(docs/security.md)"
            )
            assert expected in result.stdout, expected + "\n---\n" + result.stdout


@pytest.mark.parametrize(("payload", "dropped"), CASES)
def test_the_sanitiser_removes_what_check_names(payload: str, dropped: str) -> None:
    html = markdown_to_html(payload)
    assert dropped in [what for what, _needle in removals(html)]
    clean = sanitize(html)
    assert "esgPwned" not in clean
    assert "onerror" not in clean and "<script" not in clean and "<style" not in clean
    assert "javascript" not in clean.lower() and "<iframe" not in clean
    assert removals(clean) == []  # nothing left to remove: the allowlist is a fixed point


def test_comments_are_not_published() -> None:
    html = markdown_to_html("Text.\n\n<!-- internal: the CFO has not signed off -->\n")
    assert sanitize(html) == "<p>Text.</p>\n"
    assert removals(html) == []  # dropping a comment is expected, not a finding


def test_the_sample_chapters_lose_nothing(tmp_path: Path) -> None:
    """The allowlist covers what the sample's chapters, tables, charts and notes emit."""
    from esgpress.data.loader import load_project
    from esgpress.render.write import render_edition

    project = tmp_path / "sample"
    for part in ("content", "data"):
        shutil.copytree(REPO / part, project / part)
    dataset, problems = load_project(project)
    assert not problems.errors
    for edition in ("zh-Hant", "en"):
        out = render_edition(project, dataset, edition)
        chapters = sorted(out.glob("*.md"))
        assert len(chapters) >= 5
        for chapter in chapters:
            html = markdown_to_html(chapter.read_text(encoding="utf-8"))
            assert removals(html) == [], chapter.name


def test_hostile_site_pages_carry_no_markup_from_the_payloads(tmp_path: Path) -> None:
    from esgpress.site.build import build_site

    project = hostile_project("site", tmp_path)
    build_site(project, config_file=REPO / "mkdocs.yml", site_dir=tmp_path / "site")
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert hostile_markup(page.read_text(encoding="utf-8")) == [], page
    about = (tmp_path / "site" / "en" / "about.html").read_text(encoding="utf-8")
    assert (
        "<title>About this report - Example &#34; onmouseover=&#34;window.esgPwned=9&#34; "
        "&lt;/title&gt;&lt;script&gt;window.esgPwned=10&lt;/script&gt; &amp;amp; Co"
    ) in about
    # The first paragraph's escaped markup stays text in the meta description too.
    head = about.split("</head>", 1)[0]
    assert (
        '<meta name="description" content="&lt;script&gt;window.esgPwned=11&lt;/script&gt; '
        "This is the 2024 "
    ) in head
    assert "<script>window.esgPwned" not in about


def test_a_chapter_style_cannot_blank_the_pdf(tmp_path: Path) -> None:
    from esgpress.data.loader import load_project
    from esgpress.pdf.build import build_pdfs
    from esgpress.render.write import render_edition

    project = hostile_project("print", tmp_path)
    dataset, problems = load_project(project)
    assert not problems.errors
    render_edition(project, dataset, "en")
    pdfs = build_pdfs(project, dataset, ("en",), force=True)
    html = (project / "build" / "print" / "en" / "report.html").read_text(encoding="utf-8")
    chapters = html.split("<body", 1)[-1]  # the template's own stylesheets are in the head
    for bad in ("<style", "onerror", "<script>window", "<iframe", "javascript:", "<svg"):
        assert bad not in chapters, bad
    text = subprocess.run(
        ["pdftotext", str(pdfs["en"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "About this report" in text  # the chapter is printed, not blanked
    assert "Climate" in text  # and so is the next one
