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


#: Common ways of writing a unit, by what they mean: an unknown ``tonnes`` is
#: answered with ``t`` (spelling alone would suggest ``questionnaires``).
MEANINGS: dict[str, tuple[str, ...]] = {
    "t": ("tonne", "tonnes", "ton", "tons", "metric ton", "metric tons", "mt", "吨"),
    "kg": ("kilogram", "kilograms", "kgs", "千克", "公斤"),
    "m²": ("m2", "sqm", "sq m", "square metre", "square metres", "square meter", "平方米"),
    "m³": ("m3", "cubic metre", "cubic metres", "cubic meter", "立方米"),
    "MWh": ("mwh", "megawatt hour", "megawatt hours", "兆瓦时"),
    "kWh": ("kwh", "kilowatt hour", "kilowatt hours", "千瓦时"),
    "tCO2e": ("tco2e", "tco2", "t co2e", "tonnes co2e", "吨二氧化碳当量"),
    "%": ("percent", "per cent", "pct", "percentage"),
    "persons": ("people", "employees", "person", "人"),
    "hours": ("hour", "h", "hrs", "小时"),
}


def by_meaning(name: str, units: dict[str, Unit]) -> list[str]:
    """Catalogue units that mean what ``name`` says (``tonnes`` → ``t``), declared aliases first."""
    low = name.strip().lower()
    out = [k for k, u in units.items() if low in (a.lower() for a in u.aliases)]
    out += [k for k, words in MEANINGS.items() if k in units and (low in words or low == k.lower())]
    return list(dict.fromkeys(out))


def check_unit(key: str, units: dict[str, Unit]) -> str | None:
    """Return a message if ``key`` is not a known or composable unit, else ``None``."""
    if key in units:
        return None
    unknown = [p for p in parts(key) if p not in units and not aliased(p, units)]
    if not unknown:
        return None
    name = unknown[0]
    meant = by_meaning(name, units)
    if meant:
        return f"unknown unit '{name}' (did you mean {' or '.join(meant)}?)"
    close = did_you_mean(name, units)
    hint = (
        close or f" (known units: {', '.join(sorted(units)[:12])}{' …' if len(units) > 12 else ''})"
    )
    return f"unknown unit '{name}'{hint}"


def aliased(name: str, units: dict[str, Unit]) -> Unit | None:
    """Return the catalogue unit that declares ``name`` among its ``aliases``, if any."""
    for unit in units.values():
        if name in unit.aliases:
            return unit
    return None


def resolve(key: str, units: dict[str, Unit], slash: str = "/") -> Unit:
    """Look up the catalogue entry for ``key``, composing ``a/b`` when needed.

    Composing ratios saves declaring every intensity unit (``tCO2e/万元``) by hand;
    ``slash`` is the report's way of joining them (``/``, `` / `` or ``╱``).
    """
    if key in units:
        return units[key]
    if not key:
        return Unit(key="", zh="", en="", space=False)
    if aliased(key, units):
        return aliased(key, units)  # type: ignore[return-value]
    ps = [units.get(p) or aliased(p, units) for p in parts(key)]
    if all(ps):
        zh = slash.join(u.zh for u in ps if u)
        en = slash.join(u.en for u in ps if u)
        zh_hant = None
        if any(u.zh_hant for u in ps if u):
            zh_hant = slash.join((u.zh_hant or u.zh) for u in ps if u)
        return Unit(key=key, zh=zh, en=en, zh_hant=zh_hant)
    return Unit(key=key, zh=key, en=key)
