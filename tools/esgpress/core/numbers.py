"""Exact decimal numbers as reports print them.

Published ESG figures are decimals with a printed precision, rounded half-up
("0.125 → 0.13"), not binary floats rounded half-even. Everything numeric in
esgpress is a :class:`decimal.Decimal`; this module is the one place that
parses typed text into decimals and rounds them.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED_OK = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_GROUPED_ANY = re.compile(r"[+-]?\d[\d,]*(\.\d+)?")

#: Enough digits for any report figure and its intermediate products.
PRECISION = 34


class NumberSyntaxError(ValueError):
    """A typed value is not a plain decimal number; the message says what to write."""


def parse_decimal(text: str) -> Decimal:
    """Parse a number as typed in a data file or spreadsheet.

    Thousands separators are refused with a message that shows the number as
    it should be written, because a misplaced one (``10,4052.68`` in a
    published table) silently changes the value when "cleaned up".

    >>> parse_decimal("7122.60")
    Decimal('7122.60')
    >>> parse_decimal("10,4052.68")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    esgpress.core.numbers.NumberSyntaxError: '10,4052.68' has a misplaced thousands
    separator; write the number without separators (e.g. 104052.68) and check the digits
    """
    raw = text.strip().replace("_", "")
    if _PLAIN.fullmatch(raw):
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:  # pragma: no cover - regex guards this
            raise NumberSyntaxError(f"{text!r} is not a number") from exc
        if not value.is_finite():  # pragma: no cover - regex guards this
            raise NumberSyntaxError(f"{text!r} is not a finite number")
        return value
    lowered = raw.lower().lstrip("+-.")
    if lowered in {"nan", "inf", "infinity"}:
        raise NumberSyntaxError(
            f"{text!r} is not a finite number; write a figure or a missing value"
        )
    if _GROUPED_OK.fullmatch(raw):
        plain = raw.replace(",", "")
        raise NumberSyntaxError(f"{text!r}: write numbers without thousands separators ({plain})")
    if _GROUPED_ANY.fullmatch(raw):
        plain = raw.replace(",", "")
        raise NumberSyntaxError(
            f"{text!r} has a misplaced thousands separator; write the number without "
            f"separators (e.g. {plain}) and check the digits"
        )
    unit = re.fullmatch(r"([+-]?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(%|‰|[^\s0-9.,+-][^0-9]*)", raw)
    if unit:
        number, sign = unit.group(1).replace(",", ""), unit.group(2).strip()
        raise NumberSyntaxError(
            f"{text!r} is not a number; write {number} and put the unit on the "
            f"indicator (unit: '{sign}')"
        )
    raise NumberSyntaxError(f"{text!r} is not a number")


def decimals_of(value: Decimal) -> int:
    """Count the digits after the decimal point as typed (``7122.60`` → 2).

    Trailing zeros count: they are how a report states its precision.
    """
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round to ``decimals`` places, half away from zero, as reports print.

    >>> round_half_up(Decimal("0.125"), 2)
    Decimal('0.13')
    >>> round_half_up(Decimal("-2.5"), 0)
    Decimal('-3')
    """
    quantum = Decimal(1).scaleb(-decimals)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return value.quantize(quantum, rounding=ROUND_HALF_UP)


def half_unit(decimals: int) -> Decimal:
    """Half a unit of the last printed place: the most rounding can move a figure."""
    return Decimal(5).scaleb(-decimals - 1)


def divide(a: Decimal, b: Decimal) -> Decimal:
    """Exact-enough division with the module's precision."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return a / b
