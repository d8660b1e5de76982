"""Run MkDocs on the generated docs folder: strict, with our plugin, into a staging folder.

Everything MkDocs-specific sits behind this module, :mod:`esgpress.site.serve`
and the thin plugin, so the microsite can later move to Zensical or to plain
per-language builds without touching the render (docs/site.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import sys
from collections.abc import Iterator

from esgpress.core import console
from esgpress.core.errors import EsgError
from esgpress.core.files import replaced_dir
from esgpress.site.paths import SitePaths


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

    mkdocs.plugins.get_plugins = patched
    try:
        yield
    finally:
        mkdocs.plugins.get_plugins = original


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
    from jinja2 import TemplateError
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        with mkdocs_environment(paths, only_locale), plugin_available(), mkdocs_log() as log:
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
    except (Abort, MkDocsException, TemplateError) as exc:
        # MkDocs logs the cause and raises only "Aborted with a BuildError!":
        # the logged errors and warnings are the message.
        causes = [r.getMessage().strip() for r in log.records]
        if isinstance(exc, TemplateError):
            causes.append(f"template error: {type(exc).__name__}: {exc}")
        elif not (causes and str(exc) == "Aborted with a BuildError!"):
            causes.append(str(exc))
        raise EsgError("site build failed:\n" + "\n".join(dict.fromkeys(causes))) from None


class _Records(logging.Handler):
    """Keeps MkDocs' warnings and errors of one build (for the failure message)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def mkdocs_log() -> Iterator[_Records]:
    """Collect MkDocs' warnings and errors; with ``-v``, show its whole log on stderr too.

    Without a handler of ours, Python prints MkDocs' warnings bare on stderr
    (its last-resort handler) and MkDocs' own failure text says only
    "Aborted with a BuildError!".
    """
    logger = logging.getLogger("mkdocs")
    records = _Records()
    handlers: list[logging.Handler] = [records]
    level = logger.level
    if console.verbosity() >= console.VERBOSE:
        shown = logging.StreamHandler(sys.stderr)
        shown.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
        shown.setLevel(logging.INFO)
        handlers.append(shown)
        logger.setLevel(logging.INFO)
    for handler in handlers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
        logger.setLevel(level)


def mkdocs_build_atomic(paths: SitePaths, only_locale: str | None = None) -> dict[str, float]:
    """Build the site into a staging folder beside ``site/`` and swap it in when complete.

    A failed, interrupted or killed build leaves the previous ``site/`` as it
    was (:mod:`esgpress.core.files`).
    """
    with replaced_dir(paths.site_dir) as staging:
        return mkdocs_build(dataclasses.replace(paths, site_dir=staging), only_locale)
