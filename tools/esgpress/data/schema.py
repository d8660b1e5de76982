"""Small typed readers over located YAML nodes.

Each reader returns a Python value or ``None`` and, on a mismatch, records one
problem that names the key path, what was found and what would be right. The
loader is written in terms of these, so every message has the same shape and
position handling lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from esgpress.core.errors import Problems, did_you_mean
from esgpress.core.numbers import NumberSyntaxError, parse_decimal
from esgpress.data.model import TEXT_LANGS, Text
from esgpress.data.yamlio import BOOL, FLOAT, INT, NULL, describe, mapping_items, pos, tag_of


class Reader:
    """Reads nodes of one file, adding problems to a shared collection."""

    def __init__(self, path: str, problems: Problems) -> None:
        self.path = path
        self.problems = problems

    # ---- reporting

    def error(self, node: Node | None, message: str, severity: str = "error") -> None:
        """Record a problem at ``node`` (or at the file when there is none)."""
        line, col = pos(node) if node is not None else (0, 0)
        self.problems.add(self.path, line, col, message, severity)  # type: ignore[arg-type]

    # ---- containers

    def mapping(self, node: Node | None, what: str) -> dict[str, tuple[ScalarNode, Node]] | None:
        """Read a mapping's entries by key, or record a problem and return ``None``."""
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} should be a mapping (key: value), not {describe(node)}")
            return None
        return {k.value: (k, v) for k, v in mapping_items(node)}

    def keys(
        self,
        entries: dict[str, tuple[ScalarNode, Node]],
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        anchor: Node | None = None,
    ) -> None:
        """Report unknown keys (with a suggestion) and missing required ones."""
        allowed = list(allowed)
        for name, (key, _value) in entries.items():
            if name not in allowed:
                self.error(
                    key,
                    f"unknown key '{name}' in {what}{did_you_mean(name, allowed)}",
                )
        for name in required:
            if name not in entries:
                self.error(anchor, f"{what} needs '{name}'")

    def sequence(self, node: Node | None, what: str) -> list[Node] | None:
        """Read a list's items, or record a problem and return ``None``."""
        if node is None:
            return None
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} should be a list, not {describe(node)}")
            return None
        return list(node.value)

    # ---- scalars

    def string(self, node: Node | None, what: str) -> str | None:
        """Read a non-empty string; numbers are accepted as their text (codes like 302-1)."""
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or tag_of(node) == NULL or node.value == "":
            self.error(node, f"{what} should be a text, not {describe(node)}")
            return None
        return str(node.value)

    def strings(self, node: Node | None, what: str) -> tuple[str, ...]:
        """One string or a list of strings."""
        if node is None:
            return ()
        if isinstance(node, SequenceNode):
            out = [self.string(item, what) for item in node.value]
            return tuple(s for s in out if s is not None)
        single = self.string(node, what)
        return (single,) if single is not None else ()

    def integer(self, node: Node | None, what: str, low: int = 0, high: int = 10**9) -> int | None:
        """Read a whole number within [low, high]."""
        if node is None:
            return None
        if isinstance(node, ScalarNode) and tag_of(node) == INT:
            try:
                value = int(node.value.replace("_", ""), 0)
            except ValueError:
                value = None
            if value is not None and low <= value <= high:
                return value
        self.error(
            node, f"{what} should be a whole number from {low} to {high}, not {describe(node)}"
        )
        return None

    def year(self, node: Node, what: str) -> int | None:
        """Read a four-digit year (1900 to 2200, to catch typos such as 20244)."""
        return self.integer(node, what, 1900, 2200)

    def boolean(self, node: Node | None, what: str) -> bool | None:
        """Read ``true`` or ``false`` (YAML 1.1 spellings such as ``yes`` also count)."""
        if node is None:
            return None
        if isinstance(node, ScalarNode) and tag_of(node) == BOOL:
            return node.value.lower() in {"true", "yes", "on"}
        self.error(node, f"{what} should be true or false, not {describe(node)}")
        return None

    def decimal(self, node: Node | None, what: str) -> Decimal | None:
        """Read an exact decimal, keeping the typed digits (``7122.60``).

        Trailing zeros are kept because they state the precision the report
        prints; a float would lose them and could change the last digit.
        """
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or tag_of(node) == NULL:
            self.error(node, f"{what} should be a number, not {describe(node)}")
            return None
        if tag_of(node) == BOOL:
            self.error(node, f"{what} should be a number, not {describe(node)}")
            return None
        try:
            return parse_decimal(node.value)
        except NumberSyntaxError as exc:
            self.error(node, f"{what}: {exc}")
            return None

    def date(self, node: Node | None, what: str) -> date | None:
        """Read an ISO date (``2025-03-18``), the one unambiguous way to write it."""
        if node is None:
            return None
        if isinstance(node, ScalarNode):
            try:
                return date.fromisoformat(str(node.value))
            except ValueError:
                pass
        self.error(node, f"{what} should be a date written as YYYY-MM-DD, not {describe(node)}")
        return None

    def choice(self, node: Node | None, what: str, options: Iterable[str]) -> str | None:
        """One of a fixed set of words."""
        value = self.string(node, what)
        if value is None:
            return None
        options = list(options)
        if value not in options:
            self.error(node, f"{what} '{value}' is not one of: {', '.join(options)}")
            return None
        return value

    def text(self, node: Node | None, what: str, require_all: bool = True) -> Text | None:
        """Read a text: one string, or a mapping with ``zh``/``en`` (and optional ``zh-Hant``).

        With ``require_all``, a missing language is a problem, so no edition
        silently prints an empty string.
        """
        if node is None:
            return None
        if (
            isinstance(node, ScalarNode)
            and tag_of(node) != NULL
            and (tag_of(node) in (INT, FLOAT) or node.value)
        ):
            return Text(same=str(node.value))
        entries = self.mapping(node, what)
        if entries is None:
            return None
        self.keys(entries, what, TEXT_LANGS)
        values: dict[str, str | None] = {}
        for lang in TEXT_LANGS:
            if lang in entries:
                values[lang] = self.string(entries[lang][1], f"{what}.{lang}")
        if require_all:
            for lang in ("zh", "en"):
                if lang not in entries:
                    self.error(node, f"{what} has no '{lang}' text; write one for every edition")
        return Text(zh=values.get("zh"), en=values.get("en"), zh_hant=values.get("zh-Hant"))
