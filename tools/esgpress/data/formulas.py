"""Formulas of derived indicators: parse once, evaluate exactly.

A formula is arithmetic over indicator ids: ``env.energy.total / fin.revenue``,
``env.waste.hazardous * 1000 / soc.employees.by_type.full_time`` or, for a
fixed year, ``prod.ewaste_recycled[2022]``. We parse it with Python's own
``ast`` (the grammar is a subset of Python expressions, and dotted ids parse as
attribute chains) and accept only the node types listed here, so a formula can
never call or import anything.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

from esgpress.core.numbers import PRECISION


class FormulaError(ValueError):
    """A formula that cannot be parsed; ``offset`` is the 0-based column in it."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


Ref = tuple[str, int | None]

_OPS: dict[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def parse(source: str) -> tuple[ast.expr, tuple[Ref, ...]]:
    """Parse a formula; return its tree and the (id, fixed year) references."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(
            f"formula {source!r} is not valid: {exc.msg}", max((exc.offset or 1) - 1, 0)
        ) from None
    refs: list[Ref] = []
    _check(tree, refs)
    return tree, tuple(dict.fromkeys(refs))


def _check(node: ast.expr, refs: list[Ref]) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        _check(node.left, refs)
        _check(node.right, refs)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, refs)
        return
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return
    name = _dotted(node)
    if name is not None:
        refs.append((name, None))
        return
    if isinstance(node, ast.Subscript):
        name = _dotted(node.value)
        year = node.slice
        if name is not None and isinstance(year, ast.Constant) and type(year.value) is int:
            refs.append((name, year.value))
            return
        raise FormulaError("write a fixed year as id[2022]", node.col_offset)
    raise FormulaError(
        "formulas may only use indicator ids, numbers, + - * / and parentheses",
        getattr(node, "col_offset", 0),
    )


def evaluate(tree: ast.expr, lookup: Callable[[str, int | None], Decimal | None]) -> Decimal | None:
    """Evaluate a parsed formula; ``None`` when an input is missing.

    A divisor of zero raises :class:`FormulaError`: printing no figure for a
    ratio whose inputs are all there would hide a data error.

    ``lookup(id, fixed_year)`` returns the input's exact value (or ``None``).
    """
    with localcontext() as ctx:
        ctx.prec = PRECISION
        ctx.traps[DivisionByZero] = True
        ctx.traps[InvalidOperation] = True
        try:
            return _eval(tree, lookup)
        except (DivisionByZero, InvalidOperation) as exc:
            raise FormulaError("the formula divides by zero") from exc
        except _Missing:
            return None


class _Missing(Exception):
    pass


def _eval(node: ast.expr, lookup: Callable[[str, int | None], Decimal | None]) -> Decimal:
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_eval(node.left, lookup), _eval(node.right, lookup))
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, lookup)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Subscript):
        name, year = _dotted(node.value), node.slice
        assert name is not None and isinstance(year, ast.Constant)
        assert isinstance(year.value, int)  # checked when the formula was parsed
        result = lookup(name, year.value)
    else:
        name = _dotted(node)
        assert name is not None
        result = lookup(name, None)
    if result is None:
        raise _Missing
    return result
