"""The ``esgpress`` MkDocs plugin: thin glue between the generated docs and MkDocs.

The pages are generated before MkDocs runs (:mod:`esgpress.site.generate`); this
plugin only

- checks the docs folder was generated and feeds its navigation and site names
  to mkdocs-static-i18n, one set per language (``on_config``);
- puts the toolkit's site templates behind the project's ``custom_dir`` (which
  only overrides them), fills the brand colours into the toolkit's stylesheet
  and logo, and checks the i18n languages are the project's editions;
- loads the toolkit's jieba dictionary and the project's (``data/`` or the search
  plugin's ``jieba_dict_user``, resolved against ``mkdocs.yml``; Material
  resolves it against the working directory);
- tells each page where its language's root is, so the theme override
  points Material's search and sitemap at that language (``on_page_context``);
- after the last language is built, splits the merged search index into one
  index per language, puts a sitemap at each language root, and copies the
  shared downloads into ``<site>/files/`` (``on_post_build``);
- under ``mkdocs serve`` / ``esgpress serve``, re-renders the edition when
  ``content/`` or ``data/`` change and watches those folders.

Hooks run once per language: static-i18n rebuilds the whole site for each.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext
from watchdog.observers.polling import PollingObserver

from esgpress.core.files import write_atomic
from esgpress.core.resources import toolkit_path
from esgpress.render.sanitize import sanitize
from esgpress.site import markup, search, theme
from esgpress.site.config import DEFAULT_LOCALE, PluginConfig, locale_prefix, resolve
from esgpress.site.searchterms import TERMS_FILE

log = get_plugin_logger(__name__)

#: How often the live preview looks for saved sources (MkDocs' own watcher: 0.5 s).
POLL_SECONDS = 0.05
#: How long a change must be quiet before the rebuild starts (MkDocs: 0.1 s).
#: Changes seen in one poll arrive together, so a shorter wait builds no more often.
BUILD_DELAY_SECONDS = 0.05

#: jieba user dictionaries already loaded in this process, by path and content
#: (jieba's state is global; the generated terms change when the data does).
_LOADED_DICTS: set[tuple[Path, bytes]] = set()


def load_jieba_user_dict(path: Path) -> None:
    """Add an ESG user dictionary to jieba (once per process and content), closing the file."""
    if not path.is_file():
        raise PluginError(f"esgpress: search.jieba_dict_user '{path}' does not exist")
    key = (path, path.read_bytes())
    if key in _LOADED_DICTS:
        return
    try:
        import jieba
    except ImportError:  # Material indexes Chinese unsegmented without jieba
        log.warning("jieba is not installed: Chinese search will match whole phrases only")
        return
    jieba.setLogLevel(logging.WARNING)
    with open(path, "rb") as f:
        jieba.load_userdict(f)
    _LOADED_DICTS.add(key)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory for the life of the process.

    MkDocs makes a new Jinja environment for every build, and static-i18n
    builds the site once per language (the preview once per save), so the
    Material templates would be compiled again each time. Jinja checks each
    entry against its template's source checksum, so an edited template
    is compiled afresh.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from memory, if this template was compiled before."""
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a freshly compiled template."""
        self.store[bucket.key] = bucket.bytecode_to_string()


THEME_BYTECODE = MemoryBytecodeCache()


class EsgpressPlugin(BasePlugin[PluginConfig]):
    """Feeds generated navigation to MkDocs and scopes search per language."""

    def __init__(self) -> None:
        super().__init__()
        self.command = "build"
        self.fingerprint: str | None = None
        self.timings: dict[str, float] = {}
        self._starts: list[tuple[str, float]] = []
        self._root_404: str | None = None
        self.meta: dict[str, Any] = {}

    # Having on_startup keeps this instance across `mkdocs serve` rebuilds.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether we are serving (live re-render) or building."""
        self.command = command

    # ---- helpers

    @staticmethod
    def _i18n(config: MkDocsConfig) -> Any:
        return config.plugins.get("i18n")

    def _locales(self, config: MkDocsConfig) -> tuple[list[str], str, str]:
        """(locales built, the locale at the site root, the locale of the current build)."""
        i18n = self._i18n(config)
        if i18n is None:
            locale = str(config.theme.get("language") or DEFAULT_LOCALE)
            return [locale], locale, locale
        root = i18n.default_language
        return list(i18n.build_languages), root, i18n.current_language or root

    def _project(self, config: MkDocsConfig) -> Path:
        return resolve(Path(config.config_file_path).parent, self.config.project)

    # ---- events

    @event_priority(
        100
    )  # before the search plugin loads jieba and before static-i18n (-100) applies overrides
    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the generated docs, resolve paths, hand navigation and names to static-i18n."""
        logging.getLogger("jieba").setLevel(logging.WARNING)
        if config.use_directory_urls:
            raise PluginError(
                "set 'use_directory_urls: false' in mkdocs.yml; per-language search "
                "and sitemaps are placed at each language root, which needs page.html URLs"
            )
        base = Path(config.config_file_path).parent
        # The toolkit's templates behind the project's custom_dir, before Material's.
        theme.add_toolkit_templates(config)
        load_jieba_user_dict(toolkit_path("jieba_user_dict.txt"))
        own_dict = self._project(config) / "data" / "jieba_user_dict.txt"
        if own_dict.is_file():
            load_jieba_user_dict(own_dict)
        for name in ("search", "material/search"):
            search_plugin = config.plugins.get(name)
            user_dict = search_plugin.config.get("jieba_dict_user") if search_plugin else None
            if search_plugin is not None and user_dict:
                # Material resolves the path against the working directory and
                # jieba.load_userdict(path) never closes the file (a ResourceWarning
                # per language build). Load it here, relative to mkdocs.yml, once.
                load_jieba_user_dict(resolve(base, user_dict))
                search_plugin.config["jieba_dict_user"] = None
        if self.command == "serve":
            self._regenerate(config)
        docs = Path(config.docs_dir)
        meta_path = docs / ".esgpress.json"
        if not meta_path.is_file():
            raise PluginError(
                f"{docs} has no generated pages; run 'esgpress build' "
                "(or 'esgpress serve') instead of calling mkdocs directly"
            )
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        theme.apply_editions(config, self.meta)
        terms = docs / TERMS_FILE  # the report's own words, both scripts (site/searchterms.py)
        if terms.is_file() and any(config.plugins.get(n) for n in ("search", "material/search")):
            load_jieba_user_dict(terms)
        # The public address from data/report.yaml (site.url), unless mkdocs.yml sets
        # one; `serve` keeps its own local address.
        site_url = self.meta.get("site_url")
        if site_url and not config.site_url and self.command != "serve":
            config["site_url"] = site_url if site_url.endswith("/") else site_url + "/"
        # The sitemap's <lastmod> (templates/site/sitemap.xml): the publication date.
        config.extra["esgpress_lastmod"] = markup.published_date(self._project(config))
        languages: dict[str, dict[str, Any]] = dict(self.meta.get("languages", {}))
        i18n = self._i18n(config)
        if i18n is None:
            locale = self._locales(config)[2]
            lang: dict[str, Any] = languages.get(locale) or next(iter(languages.values()), {})
            config["nav"] = lang.get("nav")
            return config
        theme.check_languages(i18n, self.meta)
        for lang_config in i18n.config.languages:
            generated = languages.get(lang_config.locale)
            if generated is None:
                if lang_config.build:
                    raise PluginError(
                        f"no generated pages for '{lang_config.locale}' in {docs}; "
                        "run 'esgpress build'"
                    )
                continue
            # Per-language overrides that static-i18n applies in its own on_config.
            lang_config["nav"] = generated["nav"]
            # Data texts (the company's name): MkDocs' templates print them unescaped.
            lang_config["site_name"] = Markup(escape(generated["site_name"]))
            lang_config["copyright"] = Markup(escape(generated["copyright"]))
        return config

    # After static-i18n (-100), which puts its own sitemap template first.
    @event_priority(-110)
    def _keep_our_sitemap(self, config: MkDocsConfig) -> MkDocsConfig:
        """Use the toolkit's sitemap template (x-default, no build dates), not static-i18n's.

        static-i18n puts its sitemap first unless ``custom_dir`` has one; the
        toolkit's templates stand behind ``custom_dir``, so it cannot see ours.
        """
        config.theme.dirs[:] = [d for d in config.theme.dirs if "custom_i18n_sitemap" not in d]
        return config

    on_config = CombinedEvent(_configure, _keep_our_sitemap)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Fill the brand into the toolkit's stylesheet and logo (:mod:`esgpress.site.theme`)."""
        return theme.brand_files(files, config, self.meta, self._project(config))

    def _regenerate(self, config: MkDocsConfig) -> None:
        """Under serve: re-render the served edition when a source changed since the last build."""
        from esgpress.core.errors import EsgError
        from esgpress.site.generate import render_and_generate, source_fingerprint
        from esgpress.site.paths import SitePaths

        _locales, root, _current = self._locales(config)
        paths = SitePaths.for_project(self._project(config), Path(config.config_file_path))
        paths.docs_dir = Path(config.docs_dir)
        paths.files_dir = resolve(Path(config.config_file_path).parent, self.config.files_dir)
        fingerprint = source_fingerprint(paths)
        if fingerprint == self.fingerprint:
            return
        t = time.perf_counter()
        try:
            # The first build renders even an up-to-date edition: then the
            # first save replays the other chapters from memory, as every
            # later one does, instead of rendering them all.
            render_and_generate(paths.root, paths, (root,), root, warm=self.fingerprint is None)
        except EsgError as exc:
            if self.fingerprint is None:  # the first build: nothing to serve yet
                raise PluginError(f"cannot render {root}:\n{exc.format_message()}") from None
            # Keep serving the last good pages; show the problems in the terminal.
            log.error("cannot render %s:\n%s", root, exc.format_message())
            return
        self.fingerprint = fingerprint
        log.info("rendered %s in %.1f s", root, time.perf_counter() - t)

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Any
    ) -> jinja2.Environment:
        """Reuse the theme templates compiled by an earlier build of this process."""
        env.bytecode_cache = THEME_BYTECODE
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Note when this language's build starts (static-i18n builds them one after the other)."""
        self._starts.append((self._locales(config)[2], time.perf_counter()))

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Any) -> str:
        """Pass the page body through the report's HTML allowlist; escape its front matter.

        The body is sanitised (:mod:`esgpress.render.sanitize`), as the print
        edition's chapters are. Material's templates print ``page.meta``
        values unescaped (the meta description, the landing page's title), so
        those data texts are handed over as escaped markup. Then KPI tables
        become focusable, named scroll regions (site only; the PDF is untouched):
        after the allowlist, which keeps no ``tabindex``.
        """
        for key in ("description", "title"):
            value = page.meta.get(key)
            if isinstance(value, str) and not isinstance(value, Markup):
                page.meta[key] = Markup(escape(value))
        html = markup.lazy_images(sanitize(html))
        return markup.mark_scroll_regions(html, self._locales(config)[2], page.title or "")

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Tell the theme where this page's language root is (search index, sitemap)."""
        _locales, root, current = self._locales(config)
        prefix = locale_prefix(current, root)
        base = get_relative_url(prefix or ".", page.url)
        # Read by templates/site/main.html (not one of MkDocs' own context keys).
        context["esgpress"] = {  # type: ignore[typeddict-unknown-key]
            "search_base": base.rstrip("/") + "/",
            "default_locale": self._default_locale(_locales, root),
            "locale": current,
            **dict(self.meta.get("languages", {}).get(current, {}).get("page") or {}),
        }
        return context

    def _default_locale(self, locales: list[str], root: str) -> str:
        """Return the project's default edition when it is built, else this build's root."""
        default = str(self.meta.get("default_edition") or DEFAULT_LOCALE)
        return default if default in locales else root

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """Keep the root language's 404 page: every language build writes /404.html."""
        if template_name == "404.html":
            _locales, root, current = self._locales(config)
            if current == root:
                self._root_404 = output_content
        return output_content

    # Between the search plugin (0) and static-i18n (-100).
    @event_priority(-50)
    def _forget_previous_index(self, *, config: MkDocsConfig) -> None:
        """Stop Material's dirty-build merge from doubling the index static-i18n hands back.

        Under a dirty rebuild, Material's search plugin merges the previous
        index into the current one (it keeps ``search_index_prev``, which is
        its current index object). static-i18n then refills that index with
        every language's entries and runs Material's ``on_post_build`` again,
        which merges the index with itself: twice the entries on every save.
        The first pass has already merged, so the second needs no previous one.
        """
        i18n = self._i18n(config)
        if i18n is None or i18n.building:
            return
        for name in ("search", "material/search"):
            plugin = config.plugins.get(name)
            if plugin is not None and hasattr(plugin, "search_index_prev"):
                plugin.search_index_prev = None

    # After static-i18n (-100): its on_post_build of the first language builds the others.
    @event_priority(-110)
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        """After the last language: split search, place sitemaps, copy downloads, log timings."""
        i18n = self._i18n(config)
        if i18n is not None and i18n.building:
            return  # a nested language build; the outer one finishes the job
        locales, root, _current = self._locales(config)
        site = Path(config.site_dir)
        search.split_index(site, locales, root)
        search.place_sitemaps(site, locales, root)
        if self._root_404 is not None:
            # The languages built after the root one overwrote it with theirs.
            write_atomic(site / "404.html", self._root_404)
        write_atomic(site / "robots.txt", markup.robots_txt(config.site_url))
        files = resolve(Path(config.config_file_path).parent, self.config.files_dir)
        if files.is_dir():
            search.copy_tree(files, site / "files")
        # Each language's build ends where the next one starts.
        ends = [t for _locale, t in self._starts[1:]] + [time.perf_counter()]
        self.timings = {
            locale: end - start for (locale, start), end in zip(self._starts, ends, strict=True)
        }
        self._starts = []
        for locale, seconds in self.timings.items():
            log.info("built %s in %.1f s", locale, seconds)

    on_post_build = CombinedEvent(_forget_previous_index, _finish_site)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch the sources, checked every :data:`POLL_SECONDS`, instead of the generated docs."""
        project = self._project(config)
        # The docs folder is ours: this plugin writes it during each build, from
        # content/ and data/. Watching it too would start a second build after
        # every one.
        server.unwatch(config.docs_dir)
        # MkDocs polls every half second (a quarter of a second's wait on
        # average before a save is even noticed); a fresh observer, started by
        # the server as before, polls the few source folders more often.
        watched = [config.config_file_path] if config.config_file_path else []
        for file in watched:
            server.unwatch(file)
        server.observer = PollingObserver(timeout=POLL_SECONDS)
        server.build_delay = BUILD_DELAY_SECONDS
        for folder in ("content", "data"):
            if (project / folder).is_dir():
                watched.append(str(project / folder))
        if config.theme.custom_dir:  # theme overrides, CSS and our page templates
            watched.append(str(config.theme.custom_dir))
        for path in watched:
            server.watch(path)
        return server
