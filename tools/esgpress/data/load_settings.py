"""Read the project settings of ``data/report.yaml``: editions, source script, brand.

These are the choices that are the company's, not the toolkit's: which
editions it publishes and in what order, which one the site serves at its
root, whether its Chinese writers type Simplified or Traditional, and its
colours, logo and fonts. Each is validated here with the file's positions, so
``esgpress check`` reports a typo before any build uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ruamel.yaml.nodes import Node

from esgpress.data.model import EDITIONS, Brand, SourceScript
from esgpress.data.schema import Reader

SETTINGS_KEYS = ("editions", "default_edition", "source_script", "brand")
BRAND_KEYS = ("accent", "palette", "logo", "fonts")
SCRIPTS: tuple[SourceScript, ...] = ("simplified", "traditional")
HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Settings:
    """The validated settings; defaults where a key is absent or wrong."""

    editions: tuple[str, ...] = EDITIONS
    default_edition: str = EDITIONS[0]
    source_script: SourceScript = "simplified"
    brand: Brand = field(default_factory=Brand)


def load_settings(r: Reader, get: dict[str, Node | None]) -> Settings:
    """Read the settings keys from the report file's top-level nodes (``get``)."""
    editions = _editions(r, get.get("editions"))
    default = editions[0]
    node = get.get("default_edition")
    if node is not None:
        chosen = r.string(node, "default_edition")
        if chosen is not None and chosen not in editions:
            r.error(
                node,
                f"default_edition '{chosen}' is not one of the editions ({', '.join(editions)})",
            )
        elif chosen is not None:
            default = chosen
    script: SourceScript = "simplified"
    node = get.get("source_script")
    if node is not None:
        value = r.string(node, "source_script")
        if value == "traditional":
            script = "traditional"
        elif value is not None and value != "simplified":
            r.error(node, f"source_script should be 'simplified' or 'traditional', not '{value}'")
    return Settings(editions, default, script, _brand(r, get.get("brand"), editions))


def _editions(r: Reader, node: Node | None) -> tuple[str, ...]:
    """Read ``editions``: known names, no repeats, at least one."""
    if node is None:
        return EDITIONS
    chosen: list[str] = []
    for item in r.sequence(node, "editions") or []:
        name = r.string(item, "editions")
        if name is None:
            continue
        if name not in EDITIONS:
            r.error(item, f"unknown edition '{name}'; choose from {', '.join(EDITIONS)}")
        elif name in chosen:
            r.error(item, f"edition '{name}' is listed twice")
        else:
            chosen.append(name)
    if not chosen:
        r.error(node, f"editions should list at least one of {', '.join(EDITIONS)}")
        return EDITIONS
    return tuple(chosen)


def _colour(r: Reader, node: Node, what: str) -> str | None:
    """Read a ``#rrggbb`` colour, lower-cased; an error otherwise."""
    value = r.string(node, what)
    if value is None:
        return None
    if not HEX.fullmatch(value):
        r.error(node, f"{what} should be a colour written #rrggbb, not '{value}'")
        return None
    return value.lower()


def _brand(r: Reader, node: Node | None, editions: tuple[str, ...]) -> Brand:
    """Read ``brand``: accent, palette, logo, fonts per edition."""
    if node is None:
        return Brand()
    entries = r.mapping(node, "brand") or {}
    r.keys(entries, "brand", BRAND_KEYS)
    brand = Brand()
    if "accent" in entries:
        accent = _colour(r, entries["accent"][1], "brand.accent")
        brand = Brand(accent=accent) if accent else brand
    palette: list[str] = []
    if "palette" in entries:
        for item in r.sequence(entries["palette"][1], "brand.palette") or []:
            colour = _colour(r, item, "brand.palette")
            if colour:
                palette.append(colour)
    logo = r.string(entries["logo"][1], "brand.logo") if "logo" in entries else None
    if logo is not None and (logo.startswith("/") or ".." in logo.split("/")):
        r.error(entries["logo"][1], f"brand.logo should be a path inside the project: '{logo}'")
        logo = None
    fonts: list[tuple[str, str]] = []
    if "fonts" in entries:
        table = r.mapping(entries["fonts"][1], "brand.fonts") or {}
        for edition, (key, value) in table.items():
            if edition not in EDITIONS:
                r.error(key, f"brand.fonts: unknown edition '{edition}'")
                continue
            stack = r.string(value, f"brand.fonts.{edition}")
            if stack:
                fonts.append((edition, stack))
    return Brand(brand.accent, tuple(palette), logo, tuple(fonts))
