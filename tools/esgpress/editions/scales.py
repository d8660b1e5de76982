"""English scale words for units with a Chinese multiplier (万千瓦时, 亿元).

Chinese counts large numbers in 万 (10⁴) and 亿 (10⁸); English in thousands,
millions and billions (10³ⁿ). A unit declared as a multiple of its base with
a factor English has no word for (``RMB 100 million``, ``10,000 kWh``) is
rescaled in every English context, so a reader never meets "241 RMB 100
million" or "about 40 10,000 kWh":

- in tables, to the English scale at or above the Chinese one, the same for
  every year of the row (241 亿元 → 24.1 in ``RMB billion``);
- in running text, to the scale that suits the figure (40 万千瓦时 →
  400,000 kWh, 241 亿元 → RMB 24.1 billion), which
  :func:`esgpress.editions.formatting.format_quantity` does.

Digits are never lost: the decimals grow by as many places as the figure
moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from esgpress.editions.formatting import UnitDisplay, no_english_scale

SCALE_WORDS = {6: "million", 9: "billion", 12: "trillion"}


@dataclass(frozen=True)
class Rescaled:
    """A figure moved to an English scale: its value, printed decimals and unit."""

    value: Decimal
    decimals: int
    unit: UnitDisplay


def chinese_multiple(unit: UnitDisplay | None) -> int | None:
    """Return the power of ten of a unit with no English scale word (4 for 万), else ``None``."""
    if unit is None or unit.factor is None or not no_english_scale(unit):
        return None
    return unit.factor.adjusted()


def scaled_unit(base: UnitDisplay, power: int) -> UnitDisplay:
    """Return the base unit with an English scale word (``RMB billion``, ``million kWh``)."""
    if power < 6:
        return base
    word = SCALE_WORDS.get(power, f"× 10^{power}")
    text = f"{base.text} {word}" if base.before else f"{word} {base.text}"
    return UnitDisplay(text, None, True, base.before)


def for_table(value: Decimal, decimals: int, unit: UnitDisplay) -> Rescaled:
    """Rescale one table figure to the English scale at or above its Chinese one."""
    exponent = chinese_multiple(unit)
    if exponent is None or unit.base is None:
        return Rescaled(value, decimals, unit)
    power = 3 * -(-exponent // 3)
    shift = power - exponent
    return Rescaled(value.scaleb(-shift), decimals + shift, scaled_unit(unit.base, power))


def table_unit(unit: UnitDisplay) -> UnitDisplay:
    """Return the unit an English table prints (``RMB billion`` for ``RMB 100 million``)."""
    return for_table(Decimal(0), 0, unit).unit
