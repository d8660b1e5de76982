"""The glossary reader's shared helpers and its word-list sections: ``usage`` and ``en``.

Split from :mod:`esgpress.data.load_glossary` (which reads the conversion
sections) to keep each module short: both sections are lists of words the
checks look for, not rules the converter applies.
"""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from esgpress.core.errors import Problems
from esgpress.data.model import GlossaryEntry
from esgpress.data.scripts import HANS_CONFIG, cc, is_han, is_simplified_only
from esgpress.data.yamlio import NULL, STR, pos, tag_of


class TermReader:
    """Reports problems at their node; reads strings, mappings and the word-list sections."""

    def __init__(self, display: str, problems: Problems) -> None:
        self.display = display
        self.problems = problems

    def error(self, where: Node, message: str) -> None:
        """Record one problem at ``where``."""
        line, col = pos(where)
        self.problems.add(self.display, line, col, message)

    def string(self, node: Node, what: str, owner: Node | None = None) -> str | None:
        """Return a scalar's text, or report that a string was expected.

        An empty value's mark points past the line it belongs to, so an empty
        value is reported at its ``owner`` (the key) when one is given.
        """
        if isinstance(node, ScalarNode) and tag_of(node) == STR:
            if node.value.strip() and node.value == node.value.strip():
                return str(node.value)
            self.error(node, f"{what} must not be empty or have surrounding spaces")
            return None
        if isinstance(node, ScalarNode) and tag_of(node) == NULL:
            self.error(owner or node, f"{what} is empty")
        elif isinstance(node, ScalarNode):
            self.error(node, f"{what} must be a string, not {node.value!r}; quote it")
        else:
            kind = "list" if isinstance(node, SequenceNode) else "mapping"
            self.error(node, f"{what} must be a string, not a {kind}")
        return None

    def pairs(self, node: Node | None, section: str) -> Iterator[tuple[Node, str, Node]]:
        """Yield (key node, key, value node) of a mapping section, first of a key only."""
        if node is None:
            return
        if not isinstance(node, MappingNode):
            self.error(node, f"section {section!r} must be a mapping of source: target")
            return
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = self.string(key_node, f"{section} key")
            if key is None or key in seen:  # yamlio reports duplicate keys
                continue
            seen.add(key)
            yield key_node, key, value_node

    def usage(self, node: Node | None) -> list[GlossaryEntry]:
        """Read the ``usage`` list: Traditional forms the publisher prints (週報, 複盤).

        Each becomes an entry from its Simplified form (OpenCC ``tw2s``) to the
        form itself; ``esgpress check`` reports a zh-Hant edition that prints
        that Simplified word otherwise.
        """
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, "section 'usage' must be a list of Traditional words (- 週報)")
            return []
        forms: dict[str, GlossaryEntry] = {}
        for item in node.value:
            form = self.string(item, "usage form")
            if form is None:
                continue
            wrong = [c for c in form if is_simplified_only(c)]
            if not any(is_han(c) for c in form):
                self.error(item, f"usage form {form!r} contains no Chinese characters")
            elif wrong:
                self.error(
                    item,
                    f"usage form {form!r} has Simplified characters ({''.join(wrong)}); "
                    "list the Traditional form the publisher prints",
                )
            elif form in forms:
                self.error(
                    item, f"usage form {form!r} is listed twice (first on line {forms[form].line})"
                )
            else:
                forms[form] = GlossaryEntry("usage", cc(HANS_CONFIG, form), form, (), *pos(item))
        return list(forms.values())

    def english(self, node: Node | None) -> list[GlossaryEntry]:
        """Read the ``en`` terminology: ``preferred: [variants]`` or ``{after_figure: [..]}``."""
        out: list[GlossaryEntry] = []
        seen: dict[str, int] = {}
        for _key, preferred, value_node in self.pairs(node, "en"):
            after = False
            items: Node | None = value_node
            if isinstance(value_node, MappingNode):
                fields = {self.string(k, "field name"): v for k, v in value_node.value}
                unknown = [f for f in fields if f not in (None, "after_figure")]
                for name in unknown:
                    self.error(value_node, f"unknown field {name!r}; expected 'after_figure'")
                after, items = True, fields.get("after_figure")
            if not isinstance(items, SequenceNode):
                self.error(
                    items or value_node,
                    f"variants of {preferred!r} must be a list (Mainland China: "
                    "[...]) or {after_figure: [t]}",
                )
                continue
            for item in items.value:
                variant = self.string(item, f"variant of {preferred!r}")
                if variant is None:
                    continue
                if variant in seen:
                    self.error(
                        item, f"variant {variant!r} is listed twice (first on line {seen[variant]})"
                    )
                    continue
                seen[variant] = pos(item)[0]
                out.append(GlossaryEntry("en", variant, preferred, (), *pos(item), after))
        return out
