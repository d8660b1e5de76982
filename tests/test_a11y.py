"""Accessibility and phone layout of the sample report's site, in headless Chromium.

Builds the repository's own report (data/ and content/, all three editions)
into a temporary folder, serves it on 127.0.0.1 and, at a desktop (1366×900)
and a phone (375×812) viewport:

- injects axe-core (pinned in tools/browser/package-lock.json, installed by
  ``make browser-tools``) into every page and asserts no violations and no
  console error;
- asserts that at 375 px nothing (chart, table, tile) is wider than the
  viewport unless it sits in a marked scroll region (role="region",
  tabindex="0", a name) whose first column stays put (position: sticky);
- opens a missing address under /en/ and /zh-Hans/ and gets the 404 page in
  that language with links that work.

Screenshots of the landing page, a chapter and the data page at both sizes
go to build/screenshots/ for a human to look at.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import NEEDS_CHROMIUM, chromium, serve, set_viewport

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "tools" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO / "build" / "screenshots"
SIZES = {"desktop": (1366, 900), "phone": (375, 812)}

pytestmark = [
    *NEEDS_CHROMIUM,
    pytest.mark.slow,
    pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (make browser-tools)"),
]


@pytest.fixture(scope="module")
def base_url(sample_site: Path) -> Iterator[str]:
    with serve(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-a11y")) as d:
        yield d


def pages(site: Path) -> list[str]:
    """Every HTML page of the site, as a path under its root."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


#: Where the phone layout has colours of its own: the header, the navigation
#: drawer and sidebars, the footer and the scroll cue under a wide table.
PHONE_CHROME = [".md-header", ".md-sidebar", ".md-footer", ".esg-scroll-cue"]

AXE_RUN = """
var done = arguments[arguments.length - 1];
var contrastAt = arguments[0];
var options = {resultTypes: ['violations']};
if (contrastAt) options.rules = {'color-contrast': {enabled: false}};
axe.run(document, options).then(function (r) {
  var present = (contrastAt || []).filter(function (s) { return document.querySelector(s); });
  if (!contrastAt || !present.length) return r.violations;
  var context = {include: present.map(function (s) { return [s]; })};
  return axe.run(context, {resultTypes: ['violations'], runOnly: ['color-contrast']})
    .then(function (c) { return r.violations.concat(c.violations); });
}).then(done).catch(function (e) { done([{id: 'axe-error', impact: String(e), nodes: []}]); });
"""


def run_axe(driver: Any, contrast_in: list[str] | None = None) -> list[dict[str, Any]]:
    """Inject axe-core into the open page and return its violations.

    With ``contrast_in``, colour contrast (two thirds of axe's time) is checked
    only inside those parts of the page: the phone pass, whose text has the
    colours the desktop pass has already checked on every page, except where
    the phone layout draws its own.
    """
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return list(driver.execute_async_script(AXE_RUN, contrast_in))


def describe(page: str, violations: list[dict[str, Any]]) -> list[str]:
    out = []
    for v in violations:
        first = v["nodes"][0] if v["nodes"] else {}
        out.append(
            f"{page}: {v['id']} ({v['impact']}, {len(v['nodes'])}×) at {first.get('target')}: "
            + str(first.get("failureSummary", "")).replace("\n", " ")[:240]
        )
    return out


def shot(driver: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    set_viewport(driver, width, min(int(height), 6000))  # the whole page
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_no_violations_on_any_page(driver, base_url, sample_site, size):
    width, height = SIZES[size]
    set_viewport(driver, width, height)
    problems: list[str] = []
    driver.get_log("browser")  # start with an empty console
    for page in pages(sample_site):
        driver.get(base_url + page)
        problems += describe(page, run_axe(driver, PHONE_CHROME if size == "phone" else None))
        # Also: no console error, e.g. a request that left the loopback host.
        problems += [
            f"{page}: console {e['message']}"
            for e in driver.get_log("browser")
            if e["level"] in ("SEVERE", "ERROR")
        ]
    assert problems == [], "\n".join(problems)


#: Run in the page: every chart, table, tile and image wider than the viewport,
#: and whether it sits in a marked scroll region with a sticky first column.
OVERFLOW_JS = """
var root = document.documentElement;
var vw = root.clientWidth;
var out = [];
if (root.scrollWidth > vw) {
  out.push("the page itself scrolls sideways: " + root.scrollWidth + " > " + vw);
}
var items = document.querySelectorAll([
  ".md-content table", ".md-content figure", ".md-content img", ".md-content svg",
  ".esg-tile", ".esg-tile__value"].join(", "));
for (var i = 0; i < items.length; i++) {
  var el = items[i];
  var r = el.getBoundingClientRect();
  if (r.width === 0) continue;
  var tooWide = r.right > vw + 0.5 || r.left < -0.5 || el.scrollWidth > el.clientWidth + 1 &&
      (el.classList.contains("esg-tile") || el.classList.contains("esg-tile__value"));
  if (!tooWide) continue;
  var region = el.closest("[role=region][tabindex='0']");
  var what = el.tagName.toLowerCase() + "." + el.className + " (" + Math.round(r.width) + " px)";
  if (!region) { out.push(what + " overflows outside a scroll region"); continue; }
  var rr = region.getBoundingClientRect();
  var style = getComputedStyle(region);
  if (rr.right > vw + 0.5 || !/auto|scroll/.test(style.overflowX)) {
    out.push(what + ": its region does not scroll within the viewport"); continue;
  }
  if (!region.getAttribute("aria-label")) out.push(what + ": its region has no name");
  if (el.tagName === "TABLE") {
    var first = el.querySelector("tbody tr > :first-child");
    if (!first || getComputedStyle(first).position !== "sticky") {
      out.push(what + ": the first column is not sticky");
    }
  }
}
return out;
"""


def test_nothing_overflows_a_phone_screen_outside_a_marked_scroll_region(
    driver, base_url, sample_site
):
    set_viewport(driver, *SIZES["phone"])
    problems: list[str] = []
    for page in pages(sample_site):
        driver.get(base_url + page)
        problems += [f"{page}: {p}" for p in driver.execute_script(OVERFLOW_JS)]
    assert problems == [], "\n".join(problems)


def test_wide_tables_show_a_scroll_cue_on_a_phone(driver, base_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    set_viewport(driver, *SIZES["phone"])
    driver.get(base_url + "en/data.html")
    # A table is measured when it comes near the screen (assets/esgpress.js):
    # bring each one into view, then every table wider than the screen has its cue.
    wraps = driver.find_elements(By.CSS_SELECTOR, ".kpi-table-wrap")
    wide = []
    for wrap in wraps:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", wrap)
        WebDriverWait(driver, 5).until(
            lambda d, w=wrap: d.execute_script(
                "var w = arguments[0], wide = w.scrollWidth > w.clientWidth + 1;"
                "var shown = w.firstElementChild.checkVisibility({contentVisibilityAuto: true});"
                "return shown && wide === w.classList.contains('esg-scrolls');",
                w,
            )
        )
        if "esg-scrolls" in wrap.get_attribute("class"):
            wide.append(wrap)
    assert wide, "no KPI table scrolls at 375 px: nothing to test"
    for wrap in wide:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", wrap)
        cue = wrap.find_element(By.XPATH, "following-sibling::*[1]")
        assert "esg-scroll-cue" in cue.get_attribute("class")
        assert cue.is_displayed()


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [
        ("", "zh-Hant", "找不到這個頁面"),
        ("zh-Hans/", "zh-Hans", "找不到这个页面"),
        ("en/", "en", "Page not found"),
    ],
)
def test_404_speaks_the_language_of_the_address(driver, base_url, prefix, lang, heading):
    from selenium.webdriver.common.by import By

    set_viewport(driver, *SIZES["desktop"])
    driver.get(base_url + prefix + "no-such-page.html")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    visible = [
        h.text for h in driver.find_elements(By.CSS_SELECTOR, ".esg-404 h1") if h.is_displayed()
    ]
    assert visible == [heading]
    assert driver.title.startswith(heading)
    links = [
        a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, ".esg-404 a")
        if a.is_displayed()
    ]
    assert links and all(link.startswith(base_url + prefix) for link in links), links
    for link in links:
        with urllib.request.urlopen(link, timeout=10) as response:  # loopback only
            assert response.status == 200, link


@pytest.mark.parametrize("size", list(SIZES))
def test_screenshots_of_each_page_type(driver, base_url, size):
    """Not an assertion: pictures of the landing, a chapter and the data page for a human."""
    for page, name in (
        ("index.html", "landing"),
        ("climate.html", "chapter"),
        ("en/data.html", "data"),
    ):
        set_viewport(driver, *SIZES[size])
        driver.get(base_url + page)
        shot(driver, f"a11y-{name}-{size}")
