"""Where a site build reads and writes: one :class:`SitePaths` for generate, MkDocs and serve."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from esgpress.core.errors import EsgError
from esgpress.core.resources import toolkit_path

#: The toolkit's site templates: Material overrides, stylesheet, logo and page templates.
TOOLKIT_SITE = toolkit_path("templates", "site")


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
    """Return the theme ``custom_dir`` of ``mkdocs.yml``, or the toolkit's site templates.

    The toolkit's page templates (``esgpress/resources/templates/site``) are
    always there behind the project's folder, which only overrides them.
    """
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
        return TOOLKIT_SITE
    # A missing folder is MkDocs' to report (with its own message), after the lock.
    return (config_file.parent / str(custom)).resolve()
