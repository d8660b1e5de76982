"""Load ``data/units.yaml``: the unit catalogue every indicator's unit must come from."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ruamel.yaml.nodes import Node, ScalarNode

from esgpress.core.errors import Problems
from esgpress.data.model import Unit
from esgpress.data.schema import Reader
from esgpress.data.yamlio import Document

#: Bounds of a unit's factor: beyond them prose rescaling overflows (``1e999999``).
MIN_FACTOR = Decimal("1e-12")
MAX_FACTOR = Decimal("1e12")

UNIT_KEYS = (
    "zh",
    "zh-Hant",
    "en",
    "en_one",
    "count",
    "space",
    "en_before",
    "base",
    "factor",
    "aliases",
)
UNIT_REQUIRED = ("zh", "en")


def load_units(
    doc: Document, problems: Problems, inherited: Mapping[str, Unit] | None = None
) -> dict[str, Unit] | None:
    """Read the catalogue; ``None`` when the file is not a mapping (a problem is recorded).

    ``inherited`` is the toolkit's catalogue that this file extends: a unit's
    ``base`` may name one of its units.
    """
    r = Reader(doc.path, problems)
    entries = r.mapping(doc.root, "the unit catalogue")
    if entries is None:
        return None
    units: dict[str, Unit] = {}
    for key, (_knode, node) in entries.items():
        u = r.mapping(node, f"unit '{key}'")
        if u is None:
            continue
        r.keys(u, f"unit '{key}'", UNIT_KEYS, UNIT_REQUIRED, node)

        def s(name: str, u: dict[str, tuple[ScalarNode, Node]] = u, key: str = key) -> str | None:
            return r.string(u[name][1], f"unit '{key}'.{name}") if name in u else None

        def b(
            name: str, default: bool, u: dict[str, tuple[ScalarNode, Node]] = u, key: str = key
        ) -> bool:
            if name not in u:
                return default
            value = r.boolean(u[name][1], f"unit '{key}'.{name}")
            return default if value is None else value

        factor = r.decimal(u["factor"][1], f"unit '{key}'.factor") if "factor" in u else None
        if factor is not None and not (MIN_FACTOR <= factor <= MAX_FACTOR):
            r.error(
                u["factor"][1],
                f"unit '{key}'.factor should be from 1e-12 to 1e12 (a multiple such as 10000 "
                f"or 0.001), not {factor}",
            )
            factor = None
        units[key] = Unit(
            key=key,
            zh=s("zh") or key,
            en=s("en") or key,
            zh_hant=s("zh-Hant"),
            en_one=s("en_one"),
            count=b("count", False),
            space=b("space", True),
            en_before=b("en_before", False),
            base=s("base"),
            factor=factor,
            aliases=r.strings(u["aliases"][1], f"unit '{key}'.aliases") if "aliases" in u else (),
        )
    for key, unit in units.items():
        if unit.base is not None and unit.base not in units and unit.base not in (inherited or {}):
            r.error(
                entries[key][1],
                f"unit '{key}' has base '{unit.base}', which is not in the catalogue",
            )
        if (unit.base is None) != (unit.factor is None):
            r.error(entries[key][1], f"unit '{key}' needs both 'base' and 'factor', or neither")
    return units
