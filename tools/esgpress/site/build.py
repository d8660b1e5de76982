"""The site build: rendered editions → MkDocs docs folder → ``site/``.

Steps of :func:`build_site`:

1. load and check ``data/`` and the site settings;
2. render every edition (:func:`esgpress.render.write.render_edition`) into
   ``build/render/<edition>/``;
3. generate ``build/site-docs/<locale>/`` and ``build/site-files/``
   (:mod:`esgpress.site.generate`);
4. build ``site/`` with MkDocs in strict mode (any warning fails the build),
   into a staging folder that replaces ``site/`` only when complete
   (:mod:`esgpress.site.mkdocs`); the whole build holds the project lock
   (:mod:`esgpress.core.files`).

Step 4 is skipped when nothing MkDocs reads has changed since it built
``site/``, and ``site/`` is still what it built: the content fingerprint
(:func:`site_fingerprint`) is recorded in ``build/.site.fingerprint``.
The live preview is :mod:`esgpress.site.serve`.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from esgpress.core import fingerprints as cache
from esgpress.core.files import project_lock
from esgpress.site.generate import load_site_data, render_and_generate
from esgpress.site.mkdocs import mkdocs_build_atomic
from esgpress.site.paths import SitePaths

#: Where the build folder records the fingerprint of the last MkDocs build.
SITE_FINGERPRINT = ".site.fingerprint"
#: Packages whose version changes what MkDocs writes.
SITE_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pymdown-extensions", "jieba")

__all__ = ["BuildReport", "SitePaths", "build_site", "clean_site", "load_site_data"]


@dataclass
class BuildReport:
    """What a site build did and how long each step took (seconds)."""

    site_dir: Path
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per step, for the CLI."""
        parts = [f"{k} {v:.1f} s" for k, v in self.timings.items()]
        return f"built {self.site_dir} ({', '.join(parts)})"


def _versions() -> list[str]:
    found = []
    for name in SITE_PACKAGES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    return found


def site_fingerprint(paths: SitePaths) -> str:
    """Fingerprint what MkDocs reads, and what ``site/`` holds now.

    The inputs: ``mkdocs.yml``, the theme folder, the generated docs and
    downloads, ``data/`` (the search dictionary), the MkDocs packages' versions
    and the toolkit (the plugin). The output folder's own contents enter too,
    so a ``site/`` edited or emptied by hand is built again.
    """
    files = [
        paths.config_file,
        *cache.project_files(paths.templates, "."),
        *cache.project_files(paths.docs_dir, "."),
        *cache.project_files(paths.files_dir, "."),
        *cache.project_files(paths.root, "data"),
    ]
    out = hashlib.sha256()
    for path in cache.project_files(paths.site_dir, "."):
        out.update(str(path.relative_to(paths.site_dir)).encode() + b"\0" + path.read_bytes())
    parts = ("site", str(paths.site_dir), *_versions(), out.hexdigest())
    return cache.digest(parts, files)


def build_site(
    root: Path,
    *,
    config_file: Path | None = None,
    site_dir: Path | None = None,
    build_dir: Path | None = None,
) -> BuildReport:
    """Render the project's editions and build the microsite; return timings.

    Example::

        build_site(Path("."))          # → site/
    """
    paths = SitePaths.for_project(root, config_file, site_dir, build_dir)
    report = BuildReport(paths.site_dir)
    with project_lock(paths.root, "esgpress build"):
        render_and_generate(root, paths, None, None, report.timings)
        t = time.perf_counter()
        record = paths.docs_dir.parent
        if paths.site_dir.is_dir() and cache.is_fresh(
            record, site_fingerprint(paths), SITE_FINGERPRINT
        ):
            report.timings["mkdocs (up to date)"] = time.perf_counter() - t
            return report
        cache.forget(record, SITE_FINGERPRINT)
        per_locale = mkdocs_build_atomic(paths)
        cache.mark_fresh(record, site_fingerprint(paths), SITE_FINGERPRINT)
    report.timings["mkdocs"] = time.perf_counter() - t
    report.timings.update({f"site {k}": v for k, v in per_locale.items()})
    return report


def clean_site(paths: SitePaths) -> None:
    """Remove generated site folders (docs, files, site)."""
    for folder in (paths.docs_dir, paths.files_dir, paths.site_dir):
        shutil.rmtree(folder, ignore_errors=True)
