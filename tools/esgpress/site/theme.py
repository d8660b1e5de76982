"""The project's theme for MkDocs: the toolkit's templates, the brand, the editions.

Used by the thin plugin (:mod:`esgpress.site.plugin`) with the metadata the
generate step writes (``.esgpress.json``: editions, default edition, brand):

- the toolkit's site templates stand behind the project's ``custom_dir``,
  which only overrides them file by file;
- the toolkit's stylesheet and logo get the brand's colours (a project that
  overrides either keeps its own file as it is); ``brand.logo`` becomes the
  site's logo and favicon;
- the i18n languages of ``mkdocs.yml`` must be the project's editions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from esgpress.core.files import write_atomic
from esgpress.data.model import Brand
from esgpress.render.brand import apply as apply_brand
from esgpress.site.config import DEFAULT_LOCALE, locale_prefix
from esgpress.site.paths import TOOLKIT_SITE

#: Toolkit theme files with brand tokens.
BRANDED = ("assets/esgpress.css", "assets/logo.svg")


def add_toolkit_templates(config: MkDocsConfig) -> None:
    """Put the toolkit's site templates after ``custom_dir`` and before Material's."""
    if str(TOOLKIT_SITE) not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TOOLKIT_SITE))


def apply_editions(config: MkDocsConfig, meta: dict[str, Any]) -> None:
    """Hand the editions to the theme (the 404 page links each) and use ``brand.logo``."""
    editions = list(meta.get("editions") or [])
    default = str(meta.get("default_edition") or DEFAULT_LOCALE)
    ordered = [default, *(x for x in editions if x != default)]
    config.extra["esgpress_editions"] = [(e, locale_prefix(e, default)) for e in ordered]
    logo = (meta.get("brand") or {}).get("logo")
    if logo:
        name = "assets/brand-logo" + Path(logo).suffix
        config.theme["logo"] = name
        config.theme["favicon"] = name


def check_languages(i18n: Any, meta: dict[str, Any]) -> None:
    """Check the i18n languages of ``mkdocs.yml`` are the project's editions and default."""
    editions = list(meta.get("editions") or [])
    if not editions:
        return
    locales = [lang.locale for lang in i18n.config.languages]
    defaults = [lang.locale for lang in i18n.config.languages if lang.default]
    wanted = meta.get("default_edition", editions[0])
    if sorted(locales) != sorted(editions) or defaults[:1] != [wanted]:
        raise PluginError(
            "mkdocs.yml: plugins.i18n.languages lists "
            f"{', '.join(locales)} (default {', '.join(defaults) or 'none'}), but "
            f"data/report.yaml publishes {', '.join(editions)} (default {wanted}); "
            "list the same editions, with 'default: true' on the default one"
        )


def brand_files(files: Files, config: MkDocsConfig, meta: dict[str, Any], project: Path) -> Files:
    """Fill the brand into the toolkit's stylesheet and logo; add ``brand.logo``."""
    brand_meta = meta.get("brand") or {}
    brand = Brand(accent=brand_meta.get("accent") or Brand().accent)
    for name in BRANDED:
        found = files.get_file_from_path(name)
        if found is None or found.abs_src_path is None:
            continue
        source = Path(found.abs_src_path)
        if not source.is_relative_to(TOOLKIT_SITE):
            continue  # the project's own file
        files.remove(found)
        # A real file (static-i18n reads every file's source path), beside the docs.
        branded = Path(config.docs_dir).parent / "site-brand" / name
        text = apply_brand(source.read_text(encoding="utf-8"), brand)
        write_atomic(branded, text, only_if_changed=True)
        files.append(File.generated(config, name, abs_src_path=str(branded)))
    logo = brand_meta.get("logo")
    if logo:
        path = project / logo
        if not path.is_file():
            raise PluginError(f"data/report.yaml: brand.logo '{logo}' does not exist")
        name = "assets/brand-logo" + path.suffix
        files.append(File.generated(config, name, abs_src_path=str(path)))
    return files
