"""The built microsite in a real browser: headless Chromium driven by Selenium.

Serves the fixture site (built once per session by tests/test_site.py) on
127.0.0.1 and checks what a reader does: read a headline figure, switch
language and stay on the page, search in Chinese and get only their
edition's results, all without a console error. Screenshots are saved to
build/screenshots/ for a human to look at.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import NEEDS_CHROMIUM, chromium, serve
from test_site import Built, build_fixture_site

SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built: Built = build_fixture_site(tmp_path_factory)
    with serve(built.site) as url:
        yield url


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as d:
        yield d


def wait_for(condition, timeout: float = 10.0, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def console_errors(driver) -> list[str]:
    return [
        f"{e['level']}: {e['message']}"
        for e in driver.get_log("browser")
        if e["level"] in ("SEVERE", "ERROR")
    ]


def shot(driver, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def switch_language(driver, lang: str) -> None:
    """Open Material's language menu and pick ``lang``, as a reader does."""
    from selenium.webdriver.common.by import By

    button = driver.find_element(By.CSS_SELECTOR, ".md-header__option .md-select > button")
    button.click()
    link = driver.find_element(By.CSS_SELECTOR, f'.md-select__link[hreflang="{lang}"]')
    wait_for(link.is_displayed, what="the language menu to open")
    link.click()


def search(driver, query: str) -> list[str]:
    """Type into Material's search box and return the result links."""
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not box.is_displayed():  # phones: the search box opens from a header button
        driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
        wait_for(box.is_displayed, what="the search box")
    box.click()
    box.clear()
    box.send_keys(query)
    return wait_for(
        lambda: [
            a.get_attribute("href")
            for a in driver.find_elements(By.CSS_SELECTOR, "a.md-search-result__link")
        ],
        timeout=15,
        what=f"search results for {query}",
    )


def test_landing_headline_and_language_switch(driver, base_url):
    from selenium.webdriver.common.by import By

    driver.get(base_url + "index.html")
    driver.get_log("browser")  # start with an empty log
    driver.get(base_url + "index.html")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hant"
    tile = driver.find_element(By.CSS_SELECTOR, '.esg-tile[data-kpi="env.energy.total"]')
    assert tile.find_element(By.CSS_SELECTOR, ".esg-tile__number").text == "444,774.36"
    assert "綜合能源消耗總量" in tile.text
    shot(driver, "browser-zh-Hant-landing")
    switch_language(driver, "en")
    wait_for(lambda: driver.current_url.endswith("/en/index.html"), what="the English landing page")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Total energy consumption" in driver.find_element(By.CSS_SELECTOR, ".esg-tiles").text
    assert console_errors(driver) == []


def test_switching_language_on_a_chapter_stays_on_the_chapter(driver, base_url):
    from selenium.webdriver.common.by import By

    driver.get(base_url + "climate.html")
    switch_language(driver, "en")
    wait_for(
        lambda: driver.current_url.endswith("/en/climate.html"), what="the English climate chapter"
    )
    assert driver.find_element(By.CSS_SELECTOR, "article h1").text.startswith("Climate action")
    switch_language(driver, "zh-Hans")
    wait_for(
        lambda: driver.current_url.endswith("/zh-Hans/climate.html"), what="the Simplified chapter"
    )
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert console_errors(driver) == []


def test_chinese_search_finds_the_chapter_in_the_current_edition_only(driver, base_url):
    driver.get(base_url + "about.html")
    links = search(driver, "溫室氣體")
    shot(driver, "browser-zh-Hant-search")
    paths = [link.split("127.0.0.1", 1)[1].split("/", 1)[1] for link in links]
    assert any(p.startswith("climate.html") for p in paths), paths
    assert not [p for p in paths if p.startswith(("en/", "zh-Hans/"))], paths
    assert console_errors(driver) == []


def test_english_search_stays_in_english(driver, base_url):
    driver.get(base_url + "en/about.html")
    links = search(driver, "emissions")
    paths = [link.split("127.0.0.1", 1)[1].split("/", 1)[1] for link in links]
    assert paths and all(p.startswith("en/") for p in paths), paths
    assert any(p.startswith("en/climate.html") for p in paths), paths
    assert console_errors(driver) == []


def test_pages_have_no_console_errors_and_tables_scroll_on_phones(driver, base_url):
    from selenium.webdriver.common.by import By

    for page in (
        "climate.html",
        "data.html",
        "zh-Hans/people.html",
        "en/content-index.html",
        "en/downloads.html",
    ):
        driver.get(base_url + page)
        assert console_errors(driver) == [], page
    driver.set_window_size(390, 844)
    try:
        driver.get(base_url + "data.html")
        wrap = driver.find_element(By.CSS_SELECTOR, ".kpi-table-wrap")
        assert driver.execute_script(
            "return arguments[0].scrollWidth > arguments[0].clientWidth", wrap
        )
        page_overflow = driver.execute_script(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not page_overflow, "the page itself scrolls sideways on a phone"
        shot(driver, "browser-zh-Hant-data-390")
    finally:
        driver.set_window_size(1280, 900)
