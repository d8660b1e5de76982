"""Read and validate ``data/glossary.yaml`` into :class:`~esgpress.data.model.GlossaryEntry` rows.

The glossary is the project's word list for the Traditional edition
(docs/conversion.md). It is read here, by the data loader, so ``esgpress
check`` reports a bad entry with the other data problems, as
``data/glossary.yaml:L:C``, and every later stage (renders, PDFs, the site,
``esgpress convert``) uses the same validated entries, wherever the command
runs from.

Safety comes from :mod:`esgpress.data.yamlio` (size, UTF-8, nesting, aliases,
duplicate keys); the rules of the entries themselves need OpenCC, from
:mod:`esgpress.data.scripts`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from esgpress.core.errors import Problems, did_you_mean
from esgpress.core.resources import toolkit_path
from esgpress.data.glossary_terms import TermReader
from esgpress.data.model import GlossaryEntry
from esgpress.data.scripts import (
    HANS_CONFIG,
    HANT_CONFIG,
    PlainConverter,
    cc,
    is_han,
    is_simplified_only,
    script_diffs,
)
from esgpress.data.yamlio import NULL, parse_text, pos, read_text, tag_of

#: Where a project keeps its glossary, as problems name it.
GLOSSARY_PATH = "data/glossary.yaml"

SECTIONS = ("protected", "phrases", "characters", "usage", "en")


def load_project_glossary(root: Path, problems: Problems) -> tuple[GlossaryEntry, ...]:
    """Read the glossary entries in force: the toolkit's house glossary, extended by the project's.

    Problems are added to ``problems`` as ``data/glossary.yaml:L:C``; the valid
    entries are kept, so one bad entry does not hide the others' effect.
    """
    house = load_house_glossary(problems)
    path = root / GLOSSARY_PATH
    if not path.is_file():
        return house
    return extend_glossary(house, read_glossary(path, GLOSSARY_PATH, problems))


def load_house_glossary(problems: Problems) -> tuple[GlossaryEntry, ...]:
    """Read the toolkit's Hong Kong house glossary (the zh-Hant default of every project).

    Read once per process: it is package data, and validating it starts OpenCC.
    """
    entries, found = _house_glossary()
    problems.extend(found)
    return entries


@functools.cache
def _house_glossary() -> tuple[tuple[GlossaryEntry, ...], Problems]:
    found = Problems()
    entries = read_glossary(toolkit_path("glossary.yaml"), "esgpress:glossary.yaml", found)
    return entries, found


def extend_glossary(
    base: tuple[GlossaryEntry, ...], project: tuple[GlossaryEntry, ...]
) -> tuple[GlossaryEntry, ...]:
    """Return the toolkit's entries the project does not redefine, then the project's.

    An entry is redefined by a project entry of the same section and source
    (the same phrase, character or protected term).
    """
    mine = {(e.section, e.source) for e in project}
    return tuple(e for e in base if (e.section, e.source) not in mine) + project


def read_glossary(path: Path, display: str, problems: Problems) -> tuple[GlossaryEntry, ...]:
    """Read one glossary file, adding every problem (named ``display``) to ``problems``."""
    # A file of its own: yamlio stops parsing when its collection already has
    # errors, and an earlier file's mistake must not hide this file's.
    mine = Problems()
    text = read_text(path, display, mine)
    root = parse_text(text, display, mine) if text is not None else None
    entries = _GlossaryReader(display, mine).read(root) if text is not None else ()
    problems.extend(mine)
    return entries


class _GlossaryReader(TermReader):
    """Walks the composed YAML tree, validating as it goes."""

    def read(self, root: Node | None) -> tuple[GlossaryEntry, ...]:
        """Build the entries from the document's root node."""
        if root is None or (isinstance(root, ScalarNode) and tag_of(root) == NULL):
            return ()
        if not isinstance(root, MappingNode):
            self.error(
                root, "the glossary must be a mapping with the sections " + ", ".join(SECTIONS)
            )
            return ()
        sections = self.sections(root)
        protected = self.protected(sections.get("protected"))
        characters = self.characters(sections.get("characters"))
        phrases = self.phrases(sections.get("phrases"), protected, characters)
        usage = self.usage(sections.get("usage"))
        english = self.english(sections.get("en"))
        return (*protected, *phrases, *characters, *usage, *english)

    def sections(self, root: MappingNode) -> dict[str, Node]:
        """Map section names to their value nodes, reporting unknown ones."""
        found: dict[str, Node] = {}
        for key, value in root.value:
            name = self.string(key, "section name")
            if name is None or name in found:  # yamlio reports duplicate keys
                continue
            if name not in SECTIONS:
                self.error(
                    key,
                    f"unknown section {name!r}{did_you_mean(name, SECTIONS)}; "
                    "expected " + ", ".join(SECTIONS),
                )
            elif not (isinstance(value, ScalarNode) and tag_of(value) == NULL):
                found[name] = value
        return found

    def protected(self, node: Node | None) -> list[GlossaryEntry]:
        """Read the ``protected`` list of verbatim terms."""
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, "section 'protected' must be a list of terms")
            return []
        terms: dict[str, GlossaryEntry] = {}
        for item in node.value:
            term = self.string(item, "protected term")
            if term is None:
                continue
            if term in terms:
                self.error(
                    item,
                    f"duplicate protected term {term!r} (first listed on line {terms[term].line})",
                )
            else:
                terms[term] = GlossaryEntry("protected", term, term, (), *pos(item))
        return list(terms.values())

    def characters(self, node: Node | None) -> list[GlossaryEntry]:
        """Read the ``characters`` section of single-character overrides."""
        rules: list[GlossaryEntry] = []
        for key_node, key, value_node in self.pairs(node, "characters"):
            rule = self.char_rule(key_node, key, value_node)
            if rule is not None:
                rules.append(rule)
        return rules

    def char_rule(self, key_node: Node, key: str, node: Node) -> GlossaryEntry | None:
        """Read one override: either ``汙: 污`` or ``彙: {to: 匯, except: [词汇]}``."""
        ok = self.single_han(key_node, key, "character override source")
        if ok and is_simplified_only(key):
            self.error(
                key_node,
                f"character override source {key!r} is Simplified; OpenCC "
                "never outputs it; use the Traditional character",
            )
            ok = False
        target_node: Node | None = node
        exceptions: tuple[str, ...] = ()
        if isinstance(node, MappingNode):
            target_node, exceptions = self.char_rule_mapping(node, key)
        if target_node is None:
            return None
        target = self.string(target_node, f"target of {key!r}", key_node)
        if target is None or not self.single_han(target_node, target, f"target of {key!r}"):
            return None
        if is_simplified_only(target):
            self.error(target_node, f"target {target!r} of {key!r} is a Simplified character")
            return None
        return GlossaryEntry("characters", key, target, exceptions, *pos(key_node)) if ok else None

    def char_rule_mapping(self, node: MappingNode, key: str) -> tuple[Node | None, tuple[str, ...]]:
        """Read the long form ``{to: X, except: [phrases]}``."""
        fields = {}
        for field_key, field_value in node.value:
            name = self.string(field_key, "field name")
            if name in ("to", "except"):
                fields[name] = field_value
            elif name is not None:
                hint = did_you_mean(name, ["to", "except"])
                self.error(
                    field_key,
                    f"unknown field {name!r}{hint}; expected 'to' and optionally 'except'",
                )
        if "to" not in fields:
            self.error(node, f"override for {key!r} needs a 'to' field")
        exceptions = self.exceptions(fields.get("except"), key)
        return fields.get("to"), exceptions

    def exceptions(self, node: Node | None, key: str) -> tuple[str, ...]:
        """Read the Simplified phrases where OpenCC's ``key`` is kept."""
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.error(node, f"'except' of {key!r} must be a list of Simplified phrases")
            return ()
        found: list[str] = []
        for item in node.value:
            phrase = self.string(item, f"exception of {key!r}")
            if phrase is None or not self.simplified(item, phrase, "exception"):
                continue
            rendered = cc(HANT_CONFIG, phrase)
            if key not in rendered:
                self.error(
                    item,
                    f"exception {phrase!r} does not contain {key!r} after "
                    f"OpenCC {HANT_CONFIG} ({rendered}), so it has no effect",
                )
                continue
            found.append(phrase)
        return tuple(found)

    def single_han(self, node: Node, text: str, what: str) -> bool:
        """Report unless ``text`` is exactly one Han character."""
        if len(text) == 1 and is_han(text):
            return True
        self.error(node, f"{what} must be a single Chinese character, not {text!r}")
        return False

    def simplified(self, node: Node, text: str, what: str) -> bool:
        """Report unless ``text`` contains Chinese and is already Simplified."""
        if not any(is_han(c) for c in text):
            self.error(
                node,
                f"{what} {text!r} contains no Chinese characters; "
                "Latin text is never converted and needs no entry",
            )
            return False
        simplified = cc(HANS_CONFIG, text)
        if simplified != text:
            self.error(
                node,
                f"{what} {text!r} is not Simplified Chinese (Simplified: "
                f"{simplified!r}); the source side is what writers type",
            )
            return False
        return True

    def phrases(
        self,
        node: Node | None,
        protected: list[GlossaryEntry],
        characters: list[GlossaryEntry],
    ) -> list[GlossaryEntry]:
        """Read the ``phrases`` section of Simplified → Traditional fixes."""
        terms = {e.source for e in protected}
        checker = PlainConverter(
            sorted(terms), None, [(e.source, e.target, e.exceptions) for e in characters]
        )
        phrases: list[GlossaryEntry] = []
        for key_node, key, value_node in self.pairs(node, "phrases"):
            if not self.simplified(key_node, key, "phrase source"):
                continue
            if key in terms:
                self.error(
                    key_node,
                    f"phrase source {key!r} is also a protected term; keep only one of the two",
                )
                continue
            target = self.string(value_node, f"target of phrase {key!r}", key_node)
            if target is None:
                continue
            # An entry whose target equals its source means "leave it as
            # written" (厘米 stays 厘米), so only changed targets are checked.
            expected = checker.hant(checker.hans(target))
            leaks = (
                list(script_diffs(target, expected, is_simplified_only, checker.hant))
                if target != key
                else []
            )
            if leaks:
                shown = ", ".join(f"{char}→{suggestion}" for _, _, char, suggestion in leaks)
                self.error(
                    value_node,
                    f"target {target!r} of phrase {key!r} still has "
                    f"Simplified characters ({shown})",
                )
                continue
            phrases.append(GlossaryEntry("phrases", key, target, (), *pos(key_node)))
        return phrases
