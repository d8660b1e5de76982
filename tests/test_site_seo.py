"""What search engines and link previews read, on the fixture site (tests/test_site.py).

One title and one description per page (the landing page's title is the
report's title once), absolute hreflang links, Open Graph and Twitter tags,
robots.txt naming the sitemap, the current language marked in the menu, and
the accessible names the browser suite (tests/test_a11y.py) relies on.
"""

from __future__ import annotations

import re

import pytest

from test_site import LOCALES, PAGES, PREFIX, SITE_HOST, Built, build_fixture_site, parse, read


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture site, built once per session and shared with tests/test_site.py."""
    return build_fixture_site(tmp_path_factory)


def meta(elements: list[tuple[str, dict[str, str | None]]], key: str) -> list[str]:
    """The content of every <meta name=key> or <meta property=key>."""
    return [
        a.get("content") or ""
        for tag, a in elements
        if tag == "meta" and key in (a.get("name"), a.get("property"))
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_one_title_and_one_description_per_page(built, locale):
    seen: dict[str, str] = {}
    for page in PAGES:
        html = read(built, PREFIX[locale] + page)
        titles = re.findall(r"<title>(.*?)</title>", html, re.S)
        assert len(titles) == 1, page
        title = titles[0].strip()
        descriptions = meta(parse(html).elements, "description")
        assert len(descriptions) == 1 and descriptions[0].strip(), page
        assert descriptions[0] != title, page
        assert title not in seen, (page, seen.get(title))
        seen[title] = page
    landing = read(built, PREFIX[locale] + "index.html")
    title = re.findall(r"<title>(.*?)</title>", landing, re.S)[0]
    # The report's title once: no "<title> - <site name>" that repeats it.
    assert " - " not in title, title


@pytest.mark.parametrize("locale", LOCALES)
def test_open_graph_and_twitter_tags(built, locale):
    elements = parse(read(built, PREFIX[locale] + "climate.html")).elements
    title = re.findall(r"<title>(.*?)</title>", read(built, PREFIX[locale] + "climate.html"))[0]
    assert meta(elements, "og:title") == [title]
    assert meta(elements, "og:description") == meta(elements, "description")
    assert meta(elements, "og:url") == [f"https://{SITE_HOST}/{PREFIX[locale]}climate.html"]
    assert meta(elements, "og:type") == ["website"]
    assert len(meta(elements, "og:locale:alternate")) == 2
    assert meta(elements, "twitter:card") == ["summary_large_image"]  # a card (site/card.py)


def test_robots_txt_names_the_sitemap(built):
    robots = read(built, "robots.txt")
    assert "User-agent: *" in robots
    assert f"Sitemap: https://{SITE_HOST}/sitemap.xml" in robots


@pytest.mark.parametrize("locale", LOCALES)
def test_language_menu_marks_the_current_language(built, locale):
    elements = parse(read(built, PREFIX[locale] + "about.html")).elements
    current = [
        a.get("hreflang")
        for tag, a in elements
        if tag == "a" and "md-select__link" in (a.get("class") or "") and a.get("aria-current")
    ]
    assert current == [locale]


def test_search_dialog_and_kpi_regions_have_names(built):
    elements = parse(read(built, "data.html")).elements
    dialogs = [a for tag, a in elements if a.get("role") == "dialog"]
    assert dialogs and all(a.get("aria-label") for a in dialogs)
    regions = [a for tag, a in elements if "kpi-table-wrap" in (a.get("class") or "")]
    assert regions
    names = [a.get("aria-label") for a in regions]
    assert all(a.get("role") == "region" and a.get("tabindex") == "0" for a in regions)
    assert all(names) and len(set(names)) == len(names)
