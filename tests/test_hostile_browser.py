"""Every page of a hostile project's site, in headless Chromium: no payload runs.

The project (tests/test_hostile_html.py: hostile_project) carries every
hostile chapter case and a company name built to break out of MkDocs' own
templates. Each payload would set ``window.esgPwned`` (or its parent's, from
an iframe). The site is built as a writer would build it, served on
127.0.0.1, and every built page is loaded, scrolled, hovered and given time
for its scripts; the marker must stay unset and no element may carry an
event attribute.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from browser_support import serve
from test_browser import driver, pytestmark  # noqa: F401  (shared fixture and marks)
from test_hostile_html import REPO, hostile_project

MARKER = "return [window.esgPwned, document.title]"
EVENT_ATTRS = """
return Array.from(document.querySelectorAll('*')).flatMap(
  el => Array.from(el.attributes).filter(a => a.name.startsWith('on'))
    .map(a => el.tagName + ' ' + a.name));
"""
HOVER_ALL = """
document.querySelectorAll('*').forEach(el => {
  el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  el.dispatchEvent(new Event('toggle'));
});
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    from esgpress.site.build import build_site

    base = tmp_path_factory.mktemp("hostile-site")
    project = hostile_project("site", base)
    site = base / "site"
    build_site(project, config_file=REPO / "mkdocs.yml", site_dir=site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    with serve(site) as base_url:
        yield base_url, pages


def test_no_payload_runs_on_any_built_page(driver, hostile_site) -> None:  # noqa: F811
    base, pages = hostile_site
    assert "en/about.html" in pages and "about.html" in pages and len(pages) > 10
    failures = []
    for page in pages:
        driver.get(base + page)
        driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        driver.execute_script(HOVER_ALL)
        time.sleep(0.2)  # onerror of a broken image, iframe loads
        pwned, title = driver.execute_script(MARKER)
        events = driver.execute_script(EVENT_ATTRS)
        iframes = driver.execute_script("return document.querySelectorAll('iframe').length")
        if pwned is not None or events or iframes:
            failures.append(f"{page}: marker={pwned!r} events={events} iframes={iframes}")
        if page == "en/about.html":
            # The company name is shown as text in the title, not parsed as markup.
            assert "</title><script>window.esgPwned=10</script>" in title
    assert failures == []


def test_the_page_is_not_blanked_by_a_chapter_style(driver, hostile_site) -> None:  # noqa: F811
    base, _pages = hostile_site
    driver.get(base + "en/about.html")
    shown = driver.execute_script(
        "return getComputedStyle(document.body).display + ' ' + "
        "document.querySelector('article h1').offsetHeight"
    )
    display, height = shown.split()
    assert display != "none" and int(height) > 0
