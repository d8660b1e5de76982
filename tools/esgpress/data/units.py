"""The unit catalogue: validation and per-language display of unit keys.

CLDR (and so Babel) has no MWh or tCO2e and prints raw unit ids for long
Chinese names, so esgpress keeps its own catalogue (``data/units.yaml``).
Compound units ``a/b`` are composed from their parts when both are known.
"""

from __future__ import annotations

from esgpress.core.errors import did_you_mean
from esgpress.data.model import Unit


def parts(key: str) -> list[str]:
    """Split a compound unit key (``MWh/RMB million``) into its parts."""
    return [p.strip() for p in key.split("/")]


def check_unit(key: str, units: dict[str, Unit]) -> str | None:
    """Return a message if ``key`` is not a known or composable unit, else ``None``."""
    if key in units:
        return None
    unknown = [p for p in parts(key) if p not in units]
    if "/" in key and not unknown:
        return None
    name = unknown[0] if unknown else key
    close = did_you_mean(name, units)
    hint = (
        close or f" (known units: {', '.join(sorted(units)[:12])}{' …' if len(units) > 12 else ''})"
    )
    return f"unknown unit '{name}'{hint}"


def resolve(key: str, units: dict[str, Unit], slash: str = "/") -> Unit:
    """Look up the catalogue entry for ``key``, composing ``a/b`` when needed.

    Composing ratios saves declaring every intensity unit (``tCO2e/万元``) by hand;
    ``slash`` is the report's way of joining them (``/``, `` / `` or ``╱``).
    """
    if key in units:
        return units[key]
    if not key:
        return Unit(key="", zh="", en="", space=False)
    ps = [units.get(p) for p in parts(key)]
    if all(ps):
        zh = slash.join(u.zh for u in ps if u)
        en = slash.join(u.en for u in ps if u)
        zh_hant = None
        if any(u.zh_hant for u in ps if u):
            zh_hant = slash.join((u.zh_hant or u.zh) for u in ps if u)
        return Unit(key=key, zh=zh, en=en, zh_hant=zh_hant)
    return Unit(key=key, zh=key, en=key)
