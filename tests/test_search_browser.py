"""Chinese search of the sample report's site, in headless Chromium over loopback.

What a reader in Hong Kong does: type 員工 (or 员工, in the other script) into
the Traditional edition's search box, open a result, and see the word
highlighted. The checks (docs/site.md, "Search"):

- 員工 and 员工 give the same result pages in zh-Hant, and 員工/员工 the same
  in zh-Hans (the query is converted with the build-time OpenCC map);
- every highlight in the results and on the opened page is the whole word,
  never a single character (Material's own query segmenter turned 員工 into
  員 and the page showed 142 single-character highlights);
- a page loads neither the search index nor any sitemap until search is used;
- the opened page with its highlights has no axe-core violation.
"""

from __future__ import annotations

import functools
import http.server
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import NEEDS_CHROMIUM, chromium, serve

pytestmark = [*NEEDS_CHROMIUM, pytest.mark.slow]


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    return []


@pytest.fixture(scope="module")
def base_url(sample_site: Path, requests_seen: list[str]) -> Iterator[str]:
    """Serve the site, noting every path the browser asks for."""
    original = http.server.SimpleHTTPRequestHandler.do_GET

    @functools.wraps(original)
    def do_get(self: http.server.SimpleHTTPRequestHandler) -> None:
        requests_seen.append(urllib.parse.unquote(self.path.split("?")[0]))
        original(self)

    http.server.SimpleHTTPRequestHandler.do_GET = do_get  # type: ignore[method-assign]
    try:
        with serve(sample_site) as url:
            yield url
    finally:
        http.server.SimpleHTTPRequestHandler.do_GET = original  # type: ignore[method-assign]


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-search")) as d:
        yield d


def wait_for(condition: Any, timeout: float = 20.0, what: str = "condition") -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def search(driver: Any, query: str) -> tuple[list[str], set[str]]:
    """Type ``query`` into the search box; return the result links and the highlighted words.

    Read in one script call, once two readings agree: Material redraws the
    list while results arrive, and an element read in between is stale.
    """
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.clear()
    box.send_keys(query)
    read = (
        "return [document.querySelector('input.md-search__input').value,"
        " Array.from(document.querySelectorAll('a.md-search-result__link'), a => a.href),"
        " Array.from(document.querySelectorAll('.md-search-result mark'), m => m.textContent)];"
    )
    readings: list[Any] = []

    def settled() -> list[Any] | None:
        # chromedriver types 員工 one character at a time, so results for 員
        # can arrive first; a list counts only when the box holds the whole
        # query and three readings over 0.2 s agree (a CI run once caught a
        # list mid-redraw with two equal readings 0.1 s apart).
        now = driver.execute_script(read)
        readings.append(now)
        last = readings[-3:]
        done = now[0] == query and bool(now[1]) and len(last) == 3
        return now if done and all(r == now for r in last) else None

    _, links, marks = wait_for(settled, what=f"search results for {query}")
    return links, set(marks)


def pages_of(links: list[str]) -> list[str]:
    """The pages (no fragment, no query) of result links, in order, each once."""
    return list(dict.fromkeys(urllib.parse.urlsplit(link).path for link in links))


def test_no_index_or_sitemap_until_search_is_used(driver, base_url, requests_seen):
    requests_seen.clear()
    driver.get(base_url + "people.html")
    time.sleep(1.5)
    loaded = [p for p in requests_seen if p.endswith((".json", ".xml"))]
    assert loaded == []
    search(driver, "員工")
    assert "/search/search_index.json" in requests_seen
    assert not [p for p in requests_seen if p.endswith("sitemap.xml")]


@pytest.mark.parametrize(
    ("edition", "native", "other"), [("", "員工", "员工"), ("zh-Hans/", "员工", "員工")]
)
def test_both_scripts_find_the_same_pages_with_whole_word_highlights(
    driver, base_url, edition, native, other
):
    driver.get(base_url + edition + "index.html")
    links, marks = search(driver, native)
    again, other_marks = search(driver, other)
    assert pages_of(links) == pages_of(again)
    assert len(pages_of(links)) >= 3  # 員工 is on several chapters and the data centre
    assert links == again
    # Every highlight in the results starts with the whole word (a word of the
    # index, such as 員工流失率, is highlighted whole), never one character.
    # An empty mark shows the reader nothing; in two full-suite runs (never
    # alone, under load or not) Material's result list held one, which its
    # highlighter makes when one word's position is listed twice.
    for mark in (marks | other_marks) - {""}:
        assert mark.startswith(native), mark
    # The result opens the page with the whole word to highlight.
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(links[0]).query)["h"] == [native]


def test_opened_result_highlights_the_whole_word_only(driver, base_url):
    from selenium.webdriver.common.by import By

    driver.get(base_url + "index.html")
    links, _marks = search(driver, "供应商")  # Simplified, in the Traditional edition
    driver.get(links[0])
    marks = wait_for(
        lambda: [
            m.get_attribute("textContent")
            for m in driver.find_elements(By.CSS_SELECTOR, "article mark")
        ],
        what="highlights on the opened page",
    )
    assert set(marks) == {"供應商"}
    assert len(marks) > 10
    # The highlights keep the page accessible (dark text on the tint, also in grey notes).
    from test_a11y import AXE, run_axe

    if AXE.is_file():
        assert [v["id"] for v in run_axe(driver)] == []
