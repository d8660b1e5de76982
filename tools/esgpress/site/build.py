"""The site adapter: rendered editions → MkDocs docs folder → ``site/``.

Everything MkDocs-specific sits behind this module (and the thin plugin), so
the microsite can later move to Zensical or to plain per-language builds
without touching the render (see docs/site.md and the ecosystem notes).

Steps of :func:`build_site`:

1. load and check ``data/`` and the site settings;
2. render every edition (:func:`esgpress.render.write.render_edition`) into
   ``build/render/<edition>/``;
3. :func:`generate_docs`: write ``build/site-docs/<locale>/`` (chapters,
   charts, landing page, data centre, downloads page) and the shared
   downloads (data sets, PDFs from ``dist/``) into ``build/site-files/``, plus
   ``build/site-docs/.esgpress.json`` (navigation, site names) for the plugin;
4. build ``site/`` with MkDocs in strict mode (any warning fails the build),
   into a staging folder that replaces ``site/`` only when complete; the
   whole build holds the project lock (:mod:`esgpress.core.files`).

Every file is written only when its content changes, so ``esgpress serve``
does not loop on its own output and unchanged pages keep their timestamps.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import logging
import os
import shutil
import socket
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esgpress.core.errors import EsgError, Problems
from esgpress.core.files import project_lock
from esgpress.data.model import EDITIONS, Dataset
from esgpress.editions.i18n import Localizer
from esgpress.site.chapters import chapter_page, first_paragraph, page_names, shorten
from esgpress.site.config import (
    DEFAULT_LOCALE,
    LANGUAGE_NAMES,
    SiteSettings,
    locale_prefix,
    pdf_name,
    site_settings,
    word,
)
from esgpress.site.datacentre import data_downloads, datacentre_markdown, write_data_files
from esgpress.site.landing import Card, landing_markdown, pdf_downloads, render_page

log = logging.getLogger("esgpress.site")

#: Generated-site metadata the plugin reads (navigation, names); mkdocs ignores dot files.
META_FILE = ".esgpress.json"
#: Folder of the shared downloads on the site (PDFs and data sets).
FILES_URL = "files/"


@dataclass
class SitePaths:
    """Where the site build reads and writes, all absolute."""

    root: Path
    config_file: Path
    docs_dir: Path
    files_dir: Path
    site_dir: Path
    dist_dir: Path
    templates: Path

    @classmethod
    def for_project(
        cls,
        root: Path,
        config_file: Path | None = None,
        site_dir: Path | None = None,
        build_dir: Path | None = None,
    ) -> SitePaths:
        """Return the default layout of a project; ``config_file`` may live elsewhere (tests)."""
        root = root.resolve()
        config = (config_file or root / "mkdocs.yml").resolve()
        build = (build_dir or root / "build").resolve()
        return cls(
            root=root,
            config_file=config,
            docs_dir=build / "site-docs",
            files_dir=build / "site-files",
            site_dir=(site_dir or root / "site").resolve(),
            dist_dir=root / "dist",
            templates=templates_dir(config),
        )


def templates_dir(config_file: Path) -> Path:
    """Return the theme ``custom_dir`` of ``mkdocs.yml`` (our page templates live there too)."""
    from mkdocs.utils.yaml import yaml_load

    if not config_file.is_file():
        raise EsgError(
            f"{config_file}: no site configuration; the project needs a mkdocs.yml (docs/site.md)"
        )
    with open(config_file, encoding="utf-8") as f:
        raw = yaml_load(f) or {}
    theme = raw.get("theme") or {}
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if not custom:
        raise EsgError(
            f"{config_file}: theme.custom_dir is not set; "
            "the site templates live there (templates/site)"
        )
    return (config_file.parent / custom).resolve()


@dataclass
class BuildReport:
    """What a site build did and how long each step took (seconds)."""

    site_dir: Path
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per step, for the CLI."""
        parts = [f"{k} {v:.1f} s" for k, v in self.timings.items()]
        return f"built {self.site_dir} ({', '.join(parts)})"


# ---------------------------------------------------------------- file writing


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``data`` unless the file already holds it; return True if written."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return True


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


# ---------------------------------------------------------------- generation


#: The last data set loaded, by data fingerprint: the live preview re-renders on
#: every save of a chapter, and parsing data/ again would be most of its time.
_DATASETS: dict[str, Dataset] = {}


def load_site_data(root: Path) -> tuple[Dataset, SiteSettings]:
    """Load the data set and the site settings; raise one EsgError with every problem."""
    from esgpress.core.fingerprints import data_fingerprint
    from esgpress.data.loader import load_project

    key = f"{root.resolve()}\0{data_fingerprint(root)}"
    dataset = _DATASETS.get(key)
    if dataset is None:
        dataset, _ = load_project(root)
        _DATASETS.clear()
        _DATASETS[key] = dataset
    problems = Problems()
    settings = site_settings(dataset, problems)
    problems.raise_if_errors()
    return dataset, settings


def _manifest(render_dir: Path) -> dict[str, Any]:
    path = render_dir / "manifest.json"
    if not path.is_file():
        raise EsgError(f"{path}: no manifest; render the edition first (esgpress render)")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


#: Data downloads already exported by this process, by project, data fingerprint and edition.
_EXPORTED: dict[tuple[str, str, str], dict[str, Path]] = {}


def _data_files(dataset: Dataset, loc: Localizer, paths: SitePaths) -> dict[str, Path]:
    """Export the edition's data downloads unless this process already did for the same data.

    The live preview regenerates the docs on every save of a chapter; the
    CSV, XLSX and JSON exports depend on data/ only.
    """
    from esgpress.core.fingerprints import data_fingerprint

    key = (str(paths.files_dir), data_fingerprint(paths.root), loc.edition)
    files = _EXPORTED.get(key)
    if files is None or not all(p.is_file() for p in files.values()):
        files = write_data_files(dataset, loc, paths.files_dir)
        _EXPORTED[key] = files
    return files


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
    chinese = edition != "en"
    for i, ch in enumerate(chapters, start=1):
        key, title = str(ch["key"]), str(ch["title"])  # type: ignore[index]
        markdown = (render_dir / f"{key}.md").read_text(encoding="utf-8")
        intro = shorten(first_paragraph(markdown), chinese)
        if not intro:  # a chapter without prose (content index): list its sections
            heads = [
                str(x["title"])
                for x in manifest.get("sections", [])  # type: ignore[attr-defined]
                if x.get("chapter") == key and x.get("level") == 2
            ]
            intro = shorten(("、" if chinese else "; ").join(heads), chinese)
        put(
            f"{names[key]}.md",
            chapter_page(markdown, names, shorten(intro, chinese, 150), "、" if chinese else "; "),
        )
        cards.append(Card(f"{i:02d}", title, intro, f"{names[key]}.html"))
    for svg in sorted((render_dir / "charts").glob("*.svg")):
        put(f"charts/{svg.name}", svg.read_bytes())

    # Shared downloads: this edition's data set, and the PDFs if they are built.
    data_files = _data_files(dataset, loc, paths)
    for e in EDITIONS:
        pdf = paths.dist_dir / pdf_name(dataset.report, e)
        if pdf.is_file():
            copy_if_changed(pdf, paths.files_dir / pdf.name)
    pdfs = pdf_downloads(dataset, loc, paths.dist_dir, files_href)
    data = data_downloads(dataset, loc, data_files, files_href)

    put("index.md", landing_markdown(dataset, loc, settings, cards, pdfs, paths.templates))
    put("data.md", datacentre_markdown(dataset, loc, data, paths.templates))
    downloads = render_page(
        paths.templates,
        "downloads.html",
        title=word("downloads", loc),
        intro=word("downloads_intro", loc),
        pdfs=pdfs,
        data=data,
        w=lambda key: word(key, loc),
    )
    put(
        "downloads.md",
        f"---\ndescription: {json.dumps(word('downloads_intro', loc), ensure_ascii=False)}\n"
        "hide: [navigation, toc]\n---\n\n" + downloads,
    )
    prune(out, written, ("*.md", "charts/*.svg"))

    report = dataset.report
    nav = [
        {word("home", loc): "index.md"},
        {word("report", loc): [{str(c["title"]): f"{names[str(c['key'])]}.md"} for c in chapters]},  # type: ignore[index]
        {word("data_centre", loc): "data.md"},
        {word("downloads", loc): "downloads.md"},
    ]
    year = report.published.year if report.published else report.year + 1
    return {
        "nav": nav,
        "site_name": f"{loc.text(report.company)} {loc.text(report.title)}",
        "copyright": f"© {year} {loc.text(report.company)}",
    }


def generate_docs(
    dataset: Dataset,
    settings: SiteSettings,
    render_dirs: dict[str, Path],
    paths: SitePaths,
    root_locale: str = DEFAULT_LOCALE,
) -> dict[str, object]:
    """Generate the docs folder for the rendered editions and write the metadata file."""
    meta_path = paths.docs_dir / META_FILE
    meta: dict[str, object] = {"languages": {}}
    if meta_path.is_file():
        with contextlib.suppress(ValueError):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
    languages = dict(meta.get("languages", {}))  # type: ignore[call-overload]
    for edition, render_dir in render_dirs.items():
        languages[edition] = generate_edition(
            dataset, settings, edition, render_dir, paths, root_locale
        )
    meta = {
        "root_locale": root_locale,
        "languages": languages,
        "site_url": settings.url,
        "names": {e: LANGUAGE_NAMES[e] for e in EDITIONS},
    }
    write_if_changed(
        meta_path, json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    )
    return meta


def render_and_generate(
    root: Path,
    paths: SitePaths,
    editions: Sequence[str] = EDITIONS,
    root_locale: str = DEFAULT_LOCALE,
    timings: dict[str, float] | None = None,
    warm: bool = False,
) -> None:
    """Render ``editions`` and regenerate their docs (used by build and by the live preview).

    ``warm``: render even when the render on disk is up to date (see
    :func:`esgpress.render.write.render_edition`).
    """
    from esgpress.render.write import render_edition

    timings = {} if timings is None else timings
    t = time.perf_counter()
    dataset, settings = load_site_data(root)
    render_dirs = {}
    for edition in editions:
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
    """Hash everything the generated docs depend on (for the live preview)."""
    h = hashlib.sha256()
    folders = [paths.root / "data", paths.root / "content", paths.templates / "esgpress"]
    for folder in folders:
        for p in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if p.is_file():
                st = p.stat()
                h.update(f"{p}:{st.st_mtime_ns}:{st.st_size}\n".encode())
    for p in sorted(paths.dist_dir.glob("*.pdf")) if paths.dist_dir.is_dir() else []:
        st = p.stat()
        h.update(f"{p}:{st.st_mtime_ns}:{st.st_size}\n".encode())
    return h.hexdigest()


# ---------------------------------------------------------------- MkDocs


@contextlib.contextmanager
def plugin_available() -> Iterator[None]:
    """Make the ``esgpress`` MkDocs plugin findable when running from a source checkout.

    MkDocs finds plugins only through installed entry points; ``pip install -e .``
    declares ours. Without an installation (``PYTHONPATH=tools``) we register
    the same entry point for the duration of the build.
    """
    from importlib.metadata import EntryPoint

    import mkdocs.plugins

    original = mkdocs.plugins.get_plugins
    if "esgpress" in original():
        yield
        return

    def patched() -> dict[str, EntryPoint]:
        found = dict(original())
        found["esgpress"] = EntryPoint(
            "esgpress", "esgpress.site.plugin:EsgpressPlugin", "mkdocs.plugins"
        )
        return found

    mkdocs.plugins.get_plugins = patched  # type: ignore[assignment]
    try:
        yield
    finally:
        mkdocs.plugins.get_plugins = original  # type: ignore[assignment]


@contextlib.contextmanager
def mkdocs_environment(paths: SitePaths, only_locale: str | None) -> Iterator[None]:
    """Environment variables ``mkdocs.yml`` reads (``!ENV``), set for one build or serve."""
    values = {
        "ESGPRESS_ONLY_LOCALE": only_locale,
        "ESGPRESS_PROJECT": str(paths.root),
        "ESGPRESS_FILES_DIR": str(paths.files_dir),
        # Material prints an end-of-life banner when run as the mkdocs CLI; not from us.
        "NO_MKDOCS_2_WARNING": "1",
    }
    before = {k: os.environ.get(k) for k in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def mkdocs_build(paths: SitePaths, only_locale: str | None = None) -> dict[str, float]:
    """Run the MkDocs build in strict mode (any warning fails it); return per-locale seconds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        with mkdocs_environment(paths, only_locale), plugin_available():
            config = load_config(
                str(paths.config_file),
                docs_dir=str(paths.docs_dir),
                site_dir=str(paths.site_dir),
                strict=True,
            )
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
            return dict(getattr(config.plugins.get("esgpress"), "timings", {}))
    except (Abort, MkDocsException) as exc:
        raise EsgError(f"site build failed: {exc}") from None


def build_site(
    root: Path,
    *,
    config_file: Path | None = None,
    site_dir: Path | None = None,
    build_dir: Path | None = None,
) -> BuildReport:
    """Render the three editions and build the microsite; return timings.

    Example::

        build_site(Path("."))          # → site/
    """
    paths = SitePaths.for_project(root, config_file, site_dir, build_dir)
    report = BuildReport(paths.site_dir)
    with project_lock(paths.root, "esgpress build"):
        render_and_generate(root, paths, EDITIONS, DEFAULT_LOCALE, report.timings)
        t = time.perf_counter()
        per_locale = mkdocs_build_atomic(paths)
    report.timings["mkdocs"] = time.perf_counter() - t
    report.timings.update({f"site {k}": v for k, v in per_locale.items()})
    return report


def mkdocs_build_atomic(paths: SitePaths, only_locale: str | None = None) -> dict[str, float]:
    """Build the site into a staging folder beside ``site/`` and swap it in when complete.

    A failed, interrupted or killed build leaves the previous ``site/`` as it
    was (:mod:`esgpress.core.files`).
    """
    from esgpress.core.files import replaced_dir

    with replaced_dir(paths.site_dir) as staging:
        return mkdocs_build(dataclasses.replace(paths, site_dir=staging), only_locale)


def serve_site(
    root: Path,
    edition: str,
    dev_addr: str = "127.0.0.1:8000",
    open_browser: bool = False,
    config_file: Path | None = None,
) -> None:
    """Live preview of one edition: re-renders when content/ or data/ change."""
    from mkdocs.commands.serve import serve

    check_address(dev_addr)  # before the first build, which takes seconds
    paths = SitePaths.for_project(root, config_file)
    # The plugin renders the edition before each build whose sources changed
    # (the first one included); MkDocs only needs the docs folder to exist.
    paths.docs_dir.mkdir(parents=True, exist_ok=True)
    load_site_data(root)  # data errors stop here, before a server starts
    with mkdocs_environment(paths, edition), plugin_available():
        try:
            serve(
                str(paths.config_file),
                livereload=True,
                # Rebuild only the pages whose generated Markdown changed: a
                # save then costs the same whatever the number of chapters.
                build_type="dirty",
                dev_addr=dev_addr,
                open_in_browser=open_browser,
                docs_dir=str(paths.docs_dir),
                strict=False,
            )
        except OSError as exc:  # taken by someone else during the first build
            if exc.errno != errno.EADDRINUSE:
                raise
            raise EsgError(_in_use(dev_addr)) from None


def _in_use(dev_addr: str) -> str:
    host, _, port = dev_addr.rpartition(":")
    return (
        f"{dev_addr} is already in use (another preview?); stop it or choose "
        f"another address: --dev-addr {host}:{int(port) + 1}"
    )


def check_address(dev_addr: str) -> None:
    """Refuse, with a message, an address the preview could not listen on.

    MkDocs binds only after its first build and then fails with a traceback;
    a second preview started on the same port is the usual case.
    """
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise EsgError(f"--dev-addr '{dev_addr}' is not HOST:PORT, e.g. 127.0.0.1:8000")
    bare = host.strip("[]")
    try:
        with socket.socket(socket.AF_INET6 if ":" in bare else socket.AF_INET) as probe:
            # As MkDocs' server does, so a port a stopped preview left in
            # TIME_WAIT is not mistaken for one in use.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((bare, int(port)))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise EsgError(_in_use(dev_addr)) from None
        raise EsgError(f"--dev-addr '{dev_addr}': cannot listen there ({exc.strerror})") from None


def clean_site(paths: SitePaths) -> None:
    """Remove generated site folders (docs, files, site)."""
    for folder in (paths.docs_dir, paths.files_dir, paths.site_dir):
        shutil.rmtree(folder, ignore_errors=True)
