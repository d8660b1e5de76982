"""Generate the site's docs folder from the rendered editions.

:func:`render_and_generate` renders the editions
(:func:`esgpress.render.write.render_edition`) and :func:`generate_docs` writes
``build/site-docs/<locale>/`` (chapters, charts, landing page, data centre,
downloads page), the shared downloads (data sets, PDFs from ``dist/``) into
``build/site-files/``, and ``build/site-docs/.esgpress.json`` (navigation, site
names) for the plugin. Every file is written only when its content changes
(:func:`esgpress.core.files.write_atomic`), so ``esgpress serve`` does not loop
on its own output and unchanged pages keep their timestamps.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from esgpress.core import fingerprints as cache
from esgpress.core.console import say
from esgpress.core.errors import EsgError, Problems
from esgpress.core.files import remove_stale, write_atomic
from esgpress.data.model import EDITIONS, Dataset
from esgpress.editions.i18n import Localizer
from esgpress.render.chapters import source_dir
from esgpress.site.archive import (
    LIBRARY,
    archive_list,
    archive_years,
    assurance_entries,
    assurance_link,
    contact_html,
    copy_library,
    policy_entries,
    reports_markdown,
)
from esgpress.site.card import CARD_NAME, card_alt, card_png
from esgpress.site.chapters import chapter_page, first_paragraph, page_names, shorten
from esgpress.site.config import (
    DATA_FORMATS,
    LANGUAGE_NAMES,
    SiteSettings,
    data_name,
    locale_prefix,
    pdf_name,
    site_settings,
    word,
)
from esgpress.site.datacentre import data_downloads, datacentre_markdown, write_data_files
from esgpress.site.images import publish_images
from esgpress.site.landing import (
    Card,
    headline_tiles,
    landing_markdown,
    pdf_downloads,
    render_page,
)
from esgpress.site.paths import SitePaths
from esgpress.site.pdfpages import add_pdf_pages, section_pages
from esgpress.site.searchterms import write_terms

#: Generated-site metadata the plugin reads (navigation, names); mkdocs ignores dot files.
META_FILE = ".esgpress.json"
#: Folder of the shared downloads on the site (PDFs and data sets).
FILES_URL = "files/"


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``data`` (atomically) unless the file already holds it; return True if written."""
    return write_atomic(path, data, only_if_changed=True)


def copy_if_changed(src: Path, dst: Path) -> bool:
    """Copy a file unless the destination is identical."""
    return write_if_changed(dst, src.read_bytes())


def prune(folder: Path, keep: set[Path], patterns: Sequence[str]) -> None:
    """Delete generated files matching ``patterns`` in ``folder`` not written this time."""
    if not folder.is_dir():
        return
    for pattern in patterns:
        for path in folder.glob(pattern):
            if path.is_file() and path.resolve() not in keep:
                path.unlink()


#: The data set, by data fingerprint: the live preview re-renders on every
#: save of a chapter, and parsing data/ again would be most of its time.
_DATASETS: cache.Remembered[Dataset] = cache.Remembered()


def load_site_data(root: Path) -> tuple[Dataset, SiteSettings]:
    """Load the data set and the site settings; raise one EsgError with every problem."""
    from esgpress.data.loader import load_project

    fingerprint = f"{root.resolve()}\0{cache.data_fingerprint(root)}"
    dataset = _DATASETS.get("dataset", fingerprint, lambda: load_project(root)[0])
    problems = Problems()
    settings = site_settings(dataset, problems)
    problems.raise_if_errors()
    return dataset, settings


def _manifest(render_dir: Path) -> dict[str, Any]:
    path = render_dir / "manifest.json"
    if not path.is_file():
        raise EsgError(f"{path}: no manifest; render the edition first (esgpress render)")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


#: Data downloads exported by this process, by downloads folder and edition.
_EXPORTED: cache.Remembered[dict[str, Path]] = cache.Remembered()


def _data_files(dataset: Dataset, loc: Localizer, paths: SitePaths) -> dict[str, Path]:
    """Export the edition's data downloads unless this process already did for the same data.

    The live preview regenerates the docs on every save of a chapter; the
    CSV, XLSX and JSON exports depend on data/ only.
    """
    return _EXPORTED.get(
        (str(paths.files_dir), loc.edition),
        cache.data_fingerprint(paths.root),
        lambda: write_data_files(dataset, loc, paths.files_dir),
        still_valid=lambda files: all(p.is_file() for p in files.values()),
    )


def generate_edition(
    dataset: Dataset,
    settings: SiteSettings,
    edition: str,
    render_dir: Path,
    paths: SitePaths,
    root_locale: str,
) -> dict[str, object]:
    """Write ``docs_dir/<edition>/`` from a rendered edition; return its navigation and names."""
    loc = Localizer(dataset, edition)
    manifest = _manifest(render_dir)
    out = paths.docs_dir / edition
    files_href = ("../" if locale_prefix(edition, root_locale) else "") + FILES_URL
    chapters: list[dict[str, Any]] = list(manifest["chapters"])
    names = page_names([str(c["key"]) for c in chapters])
    written: set[Path] = set()

    def put(rel: str, data: str | bytes) -> None:
        path = out / rel
        write_if_changed(path, data)
        written.add(path.resolve())

    cards = []
    pages: dict[str, str] = {}
    image_problems: list[str] = []
    pdf = paths.dist_dir / pdf_name(dataset.report, edition)
    pdf_pages = section_pages(pdf) if pdf.is_file() else {}
    chinese = edition != "en"
    for i, ch in enumerate(chapters, start=1):
        key, title = str(ch["key"]), str(ch["title"])
        markdown = (render_dir / f"{key}.md").read_text(encoding="utf-8")
        intro = shorten(first_paragraph(markdown), chinese)
        if not intro:  # a chapter without prose (content index): list its sections
            heads = [
                str(x["title"])
                for x in manifest.get("sections", [])
                if x.get("chapter") == key and x.get("level") == 2
            ]
            intro = shorten(("、" if chinese else "; ").join(heads), chinese)
        page = chapter_page(
            markdown, names, shorten(intro, chinese, 150), "、" if chinese else "; "
        )
        page, missing = publish_images(page, paths.root / "content" / source_dir(edition), put)
        image_problems += [f"content/{source_dir(edition)}/{key}.md: {m}" for m in missing]
        if pdf_pages and ".index-ref" in page:  # the content index: PDF pages too
            page = add_pdf_pages(page, pdf_pages, files_href + pdf.name, edition)
        put(f"{names[key]}.md", page)
        pages[f"{names[key]}.html"] = page
        cards.append(Card(f"{i:02d}", title, intro, f"{names[key]}.html"))
    for svg in sorted((render_dir / "charts").glob("*.svg")):
        put(f"charts/{svg.name}", svg.read_bytes())
    summary = _summary_page(render_dir, names, chinese, put)

    # Shared downloads: this edition's data set, and the PDFs if they are built.
    data_files = _data_files(dataset, loc, paths)
    copy_library(dataset, paths.root, paths.files_dir)
    for e in dataset.report.editions:
        pdf = paths.dist_dir / pdf_name(dataset.report, e)
        if pdf.is_file():
            copy_if_changed(pdf, paths.files_dir / pdf.name)
    pdfs = pdf_downloads(dataset, loc, paths.dist_dir, files_href)
    data = data_downloads(dataset, loc, data_files, files_href)

    archive = bool(archive_list(dataset))
    landing = landing_markdown(dataset, loc, settings, cards, pdfs, paths.templates, archive)
    put("index.md", landing)
    tiles = headline_tiles(dataset, loc, settings.headline)
    put(CARD_NAME, card_png(dataset, loc, tiles))  # og:image (site/card.py)
    if archive:
        years = archive_years(dataset, loc, paths.root, files_href, pdfs, data)
        put("reports.md", reports_markdown(years, loc, paths.templates))
    put("data.md", datacentre_markdown(dataset, loc, data, paths.templates))
    three = len(dataset.report.editions) == 3
    intro_key = "downloads_intro" if three else "downloads_intro_some"
    downloads = render_page(
        paths.templates,
        "downloads.html",
        title=word("downloads", loc),
        intro=word(intro_key, loc),
        pdfs=pdfs,
        data=data,
        policies=policy_entries(dataset, loc, paths.root, files_href),
        assurance=assurance_entries(dataset, loc, assurance_link(pages)),
        archive=archive_list(dataset),
        w=lambda key: word(key, loc),
    )
    put(
        "downloads.md",
        f"---\ndescription: {json.dumps(word(intro_key, loc), ensure_ascii=False)}\n"
        "hide: [navigation, toc]\n---\n\n" + downloads,
    )
    if image_problems:
        raise EsgError("\n".join(image_problems))
    prune(out, written, ("*.md", "charts/*.svg", "images/*", CARD_NAME))

    report = dataset.report
    nav = [
        {word("home", loc): "index.md"},
        {word("report", loc): [{str(c["title"]): f"{names[str(c['key'])]}.md"} for c in chapters]},
        *([{SUMMARY_WORD[edition]: "summary.md"}] if summary else []),
        {word("data_centre", loc): "data.md"},
        {word("downloads", loc): "downloads.md"},
        *([{word("reports_by_year", loc): "reports.md"}] if archive else []),
    ]
    year = report.published.year if report.published else report.year + 1
    card = f"{(settings.url or '').rstrip('/')}/{locale_prefix(edition, root_locale)}{CARD_NAME}"
    return {
        "page": {  # read by the theme (main.html, partials/copyright.html)
            "card": card if settings.url else None,
            "card_alt": card_alt(dataset, loc),
            "contact": contact_html(dataset, loc),
        },
        "nav": nav,
        "site_name": f"{loc.text(report.company)} {loc.text(report.title)}",
        "copyright": f"© {year} {loc.text(report.company)}",
    }


#: The summary page's name in the navigation, per edition.
SUMMARY_WORD = {"zh-Hant": "報告摘要", "zh-Hans": "报告摘要", "en": "Summary"}


def _summary_page(
    render_dir: Path, names: dict[str, str], chinese: bool, put: Callable[[str, str | bytes], None]
) -> bool:
    """Write the executive summary's page (``summary.md``) and its charts; False if none."""
    from esgpress.render.summary import SUMMARY_KEY, summary_dir

    folder = summary_dir(render_dir)
    source = folder / f"{SUMMARY_KEY}.md"
    if not source.is_file():
        return False
    markdown = source.read_text(encoding="utf-8")
    intro = shorten(first_paragraph(markdown), chinese, 150)
    put("summary.md", chapter_page(markdown, names, intro, "、" if chinese else "; "))
    for svg in sorted((folder / "charts").glob("*.svg")):
        put(f"charts/{svg.name}", svg.read_bytes())
    return True


def generate_docs(
    dataset: Dataset,
    settings: SiteSettings,
    render_dirs: dict[str, Path],
    paths: SitePaths,
    root_locale: str | None = None,
) -> dict[str, object]:
    """Generate the docs folder for the rendered editions and write the metadata file."""
    report = dataset.report
    root_locale = root_locale or report.default_edition
    meta_path = paths.docs_dir / META_FILE
    meta: dict[str, object] = {"languages": {}}
    if meta_path.is_file():
        with contextlib.suppress(ValueError):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
    languages = {
        locale: value
        for locale, value in dict(meta.get("languages", {})).items()  # type: ignore[call-overload]
        if locale in report.editions  # an edition the project dropped is not published
    }
    for edition, render_dir in render_dirs.items():
        languages[edition] = generate_edition(
            dataset, settings, edition, render_dir, paths, root_locale
        )
    write_terms(dataset, paths.docs_dir)  # the report's words for the Chinese search indexes
    meta = {
        "root_locale": root_locale,
        "languages": languages,
        "site_url": settings.url,
        "names": {e: LANGUAGE_NAMES[e] for e in report.editions},
        "editions": list(report.editions),
        "default_edition": report.default_edition,
        "brand": {"accent": report.brand.accent, "logo": report.brand.logo},
    }
    write_if_changed(
        meta_path, json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    )
    # The downloads folder is kept between builds; what is not this report's
    # (last year's PDFs and data sets) must not reach site/files/.
    for name in remove_stale(paths.files_dir, files_names(dataset)):
        say(f"removed site {FILES_URL}{name} (not produced by this build: another year or edition)")
    return meta


def files_names(dataset: Dataset) -> set[str]:
    """Names the site's downloads folder may hold: this report's PDFs and data sets."""
    report = dataset.report
    return (
        {pdf_name(report, e) for e in EDITIONS}
        | {data_name(report, e, fmt) for e in EDITIONS for fmt in DATA_FORMATS}
        | {LIBRARY}  # the project's own files (site/archive.py)
    )


def render_and_generate(
    root: Path,
    paths: SitePaths,
    editions: Sequence[str] | None = None,
    root_locale: str | None = None,
    timings: dict[str, float] | None = None,
    warm: bool = False,
) -> None:
    """Render ``editions`` and regenerate their docs (used by build and by the live preview).

    ``editions`` and ``root_locale`` default to the project's (``data/report.yaml``).

    ``warm``: render even when the render on disk is up to date (see
    :func:`esgpress.render.write.render_edition`).
    """
    from esgpress.render.write import render_edition

    timings = {} if timings is None else timings
    t = time.perf_counter()
    dataset, settings = load_site_data(root)
    render_dirs = {}
    for edition in dataset.report.editions if editions is None else editions:
        render_dirs[edition] = render_edition(
            root, dataset, edition, paths.docs_dir.parent / "render" / edition, warm=warm
        )
    timings["render"] = time.perf_counter() - t
    t = time.perf_counter()
    paths.docs_dir.mkdir(parents=True, exist_ok=True)
    paths.files_dir.mkdir(parents=True, exist_ok=True)
    generate_docs(dataset, settings, render_dirs, paths, root_locale)
    timings["generate"] = time.perf_counter() - t


def source_fingerprint(paths: SitePaths) -> str:
    """Fingerprint everything the generated docs depend on (for the live preview).

    Contents, not timestamps (:mod:`esgpress.core.fingerprints`): ``data/``,
    ``content/``, the page templates and the PDFs in ``dist/``.
    """
    files = [
        *cache.project_files(paths.root, "data"),
        *cache.project_files(paths.root, "content"),
        *cache.project_files(paths.templates, "esgpress"),
        *(sorted(paths.dist_dir.glob("*.pdf")) if paths.dist_dir.is_dir() else []),
    ]
    return cache.digest(("site sources",), files)
