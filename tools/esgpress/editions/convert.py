"""Simplified ⇄ Traditional conversion for the zh-Hans and zh-Hant editions.

Writers author one Chinese source in Simplified characters; the Hong Kong
Traditional edition is derived from it. OpenCC does the bulk of the work, but
its output is not the company's house style out of the box, and it makes a
handful of well-known cross-word mistakes. This module wraps OpenCC with three
layers that come from the project glossary (``data/glossary.yaml``):

1. **Protected terms** are copied verbatim into every edition (the company
   writes its own name with a Simplified character even in Traditional text).
2. **Phrases** are Simplified → Traditional fixes that win over OpenCC.
3. **Characters** are single-character house-style overrides applied to
   OpenCC's output (for example its Taiwan glyph 汙 becomes the HK glyph 污).

Protected terms and phrases are swapped for private-use placeholder
characters before OpenCC runs (longest match first), so OpenCC can neither
alter them nor glue them to a neighbouring word, and are put back afterwards.
The same placeholder trick shields everything that is not prose: fenced and
inline code, HTML tags and comments, URLs, link destinations, attribute lists
such as heading anchors ``{#key}``, and Jinja syntax (esgpress writes Jinja
comments as ``{## … ##}``). Han characters inside Jinja string literals are content
(``{% call case("节能案例") %}``) and are converted; every other byte of a
shielded span is left exactly as written.

The module does no I/O apart from reading the glossary file.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import opencc
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, NodeEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from esgpress.core.errors import EsgError, Problems, did_you_mean

__all__ = [
    "DEFAULT_GLOSSARY_PATH",
    "HANS_CONFIG",
    "HANT_CONFIG",
    "CharRule",
    "Converter",
    "Glossary",
    "Leak",
    "Target",
    "find_script_leaks",
    "is_han",
    "load_glossary",
]

Target = Literal["zh-Hant", "zh-Hans"]

#: OpenCC preset for Simplified → Traditional. ``s2tw`` gives the glyph set the
#: report uses (為 裡 著 啟 群 眾) without Taiwan vocabulary (that is ``s2twp``);
#: the few HK-specific glyphs (台 濕 污 鑒 匯) come from the glossary's
#: ``characters`` section. See docs/conversion.md for the measurement.
HANT_CONFIG = "s2tw"

#: OpenCC preset for Traditional → Simplified. ``tw2s`` first folds the Taiwan
#: glyph variants that the house style shares (著 as the aspect particle
#: becomes 着, as a Simplified writer would type it), which plain ``t2s``
#: leaves alone; it handles the HK glyphs (温 説 衞) as well.
HANS_CONFIG = "tw2s"

#: The glossary that ships with the repository (absent from an installed wheel).
DEFAULT_GLOSSARY_PATH = Path(__file__).resolve().parents[3] / "data" / "glossary.yaml"

# Placeholders come from the top of Supplementary Private Use Area-B, which
# no font or input method in the report pipeline uses. OpenCC treats them as
# unknown single characters: it copies them through and never lets a phrase
# match across them, which is exactly the word boundary we need.
_FROZEN = "\U0010ff00"  # stands for a shielded (non-prose) span
_TERM = "\U0010ff01"  # stands for a protected term or a glossary phrase
_RESERVED = re.compile("[\U0010ff00-\U0010ff0f]")

_HAN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]",
)

_SECTIONS = ("protected", "phrases", "characters")


def is_han(char: str) -> bool:
    """Tell whether ``char`` is a CJK ideograph (basic, extensions, compatibility).

    The round-trip measurement and the leak finder both count only ideographs:
    punctuation, digits and Latin text are outside OpenCC's scope.
    """
    return bool(_HAN.fullmatch(char))


# ---------------------------------------------------------------------------
# OpenCC access


@functools.cache
def _opencc(config: str) -> opencc.OpenCC:
    """Return a shared OpenCC converter; building one reads several dictionaries."""
    return opencc.OpenCC(config)


def _cc(config: str, text: str) -> str:
    """Convert ``text`` with an OpenCC preset (``str`` in, ``str`` out)."""
    return str(_opencc(config).convert(text))


@functools.cache
def _is_simplified_only(char: str) -> bool:
    """Tell whether ``char`` belongs to Simplified text only.

    OpenCC's own data decides: ``s2t`` changes the character and ``t2s`` does
    not. A character that OpenCC's ``t2hk`` or ``t2tw`` produces from its
    Traditional counterpart (台 from 臺, 温 from 溫) is a regional Traditional
    glyph, not a Simplified one, so it is excluded.
    """
    if not is_han(char) or _cc("t2s", char) != char:
        return False
    trad = _cc("s2t", char)
    return trad != char and char not in (_cc("t2hk", trad), _cc("t2tw", trad))


@functools.cache
def _is_traditional_only(char: str) -> bool:
    """Tell whether ``char`` belongs to Traditional text only (the mirror rule)."""
    return is_han(char) and _cc("t2s", char) != char and _cc("s2t", char) == char


# ---------------------------------------------------------------------------
# Glossary


@dataclass(frozen=True)
class CharRule:
    """A house-style override for one character of OpenCC's Traditional output.

    Attributes:
        target: the character the house style writes instead.
        exceptions: Simplified phrases whose OpenCC rendering keeps the
            original character (词汇 stays 詞彙 although 彙 becomes 匯).

    """

    target: str
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """The project's conversion rules, as read from ``data/glossary.yaml``.

    Tuples rather than dicts keep the object hashable, so converters built
    from the same glossary can be cached.

    Attributes:
        protected: terms copied verbatim into every edition.
        phrases: (Simplified, Traditional) pairs that override OpenCC.
        characters: (OpenCC output character, rule) pairs.
        source: the file the glossary came from, if any.

    """

    protected: tuple[str, ...] = ()
    phrases: tuple[tuple[str, str], ...] = ()
    characters: tuple[tuple[str, CharRule], ...] = ()
    source: Path | None = field(default=None, compare=False)

    @property
    def phrase_map(self) -> dict[str, str]:
        """The phrases as a Simplified → Traditional dict."""
        return dict(self.phrases)

    @property
    def character_map(self) -> dict[str, CharRule]:
        """The character overrides as a dict keyed by OpenCC's output character."""
        return dict(self.characters)


def load_glossary(path: Path) -> Glossary:
    """Read and validate a glossary file.

    Every mistake is collected with its position (from ruamel.yaml's node
    marks) before one :class:`~esgpress.core.errors.EsgError` is raised, so a
    writer fixes them all in one go.

    Args:
        path: the YAML file, usually ``data/glossary.yaml``.

    Returns:
        The validated glossary.

    Raises:
        EsgError: the file cannot be read, is not valid YAML, uses anchors or
            aliases, or has entries that break the rules in docs/conversion.md.

    """
    from esgpress.data.yamlio import read_text

    problems = Problems()
    text = read_text(path, str(path), problems)  # size limit, UTF-8, BOM and CRLF
    if text is None:
        raise EsgError(
            replace(p, message=f"cannot read glossary: {p.message}") for p in problems.errors
        )
    root = _compose(text, path, problems)
    glossary = _GlossaryReader(path, problems).read(root) if not problems else None
    if problems.errors or glossary is None:
        raise EsgError(sorted(problems.errors))
    return glossary


def _compose(text: str, path: Path, problems: Problems) -> Node | None:
    """Parse YAML into a node tree, refusing anchors and aliases.

    Anchors make one entry silently stand for another, which defeats a
    hand-edited word list; reporting them is kinder than resolving them.
    """
    from esgpress.data.yamlio import nesting_problem, reader_problem

    if nesting_problem(text, str(path), problems):
        return None
    yaml = YAML(typ="rt")
    try:
        for event in yaml.parse(text):
            if isinstance(event, AliasEvent):
                _add(
                    problems,
                    path,
                    event,
                    f"alias *{event.anchor} is not allowed; write the entry out in full",
                )
            elif isinstance(event, NodeEvent) and event.anchor is not None:
                _add(
                    problems,
                    path,
                    event,
                    f"anchor &{event.anchor} is not allowed; write the entry out in full",
                )
        if problems:
            return None
        node: Node | None = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problems.add(path, line, col, f"invalid YAML: {exc.problem or exc.context}")
        return None
    except YAMLError as exc:  # a control character (ReaderError) has no mark
        if not reader_problem(exc, text, str(path), problems):
            problems.add(path, 0, 0, f"invalid YAML: {exc}")
        return None
    return node


def _add(problems: Problems, path: Path, where: Node | NodeEvent, message: str) -> None:
    """Record a problem at the 1-based position of a node or event."""
    mark = where.start_mark
    problems.add(path, mark.line + 1, mark.column + 1, message)


def _tag(node: Node) -> str:
    """Return the resolved tag as a plain string (ruamel may wrap it in a Tag object)."""
    return str(getattr(node.tag, "value", node.tag))


class _GlossaryReader:
    """Walks the composed YAML tree, validating as it goes."""

    def __init__(self, path: Path, problems: Problems) -> None:
        self.path = path
        self.problems = problems

    def error(self, where: Node, message: str) -> None:
        """Record one problem at ``where``."""
        _add(self.problems, self.path, where, message)

    def read(self, root: Node | None) -> Glossary:
        """Build the glossary from the document's root node."""
        if root is None or (isinstance(root, ScalarNode) and _tag(root).endswith(":null")):
            return Glossary(source=self.path)
        if not isinstance(root, MappingNode):
            self.error(
                root, "the glossary must be a mapping with the sections " + ", ".join(_SECTIONS)
            )
            return Glossary(source=self.path)
        sections = self.sections(root)
        protected = self.protected(sections.get("protected"))
        characters = self.characters(sections.get("characters"))
        phrases = self.phrases(sections.get("phrases"), set(protected), characters)
        return Glossary(tuple(protected), tuple(phrases), tuple(characters), self.path)

    def sections(self, root: MappingNode) -> dict[str, Node]:
        """Map section names to their value nodes, reporting unknown or repeated ones."""
        found: dict[str, Node] = {}
        for key, value in root.value:
            name = self.string(key, "section name")
            if name is None:
                continue
            if name not in _SECTIONS:
                self.error(
                    key,
                    f"unknown section {name!r}{did_you_mean(name, _SECTIONS)}; "
                    "expected " + ", ".join(_SECTIONS),
                )
            elif name in found:
                self.error(key, f"section {name!r} appears twice")
            elif not (isinstance(value, ScalarNode) and _tag(value).endswith(":null")):
                found[name] = value
        return found

    def string(self, node: Node, what: str, owner: Node | None = None) -> str | None:
        """Return a scalar's text, or report that a string was expected.

        An empty value's mark points past the line it belongs to, so an empty
        value is reported at its ``owner`` (the key) when one is given.
        """
        if isinstance(node, ScalarNode) and _tag(node).endswith(":str"):
            if node.value.strip() and node.value == node.value.strip():
                return str(node.value)
            self.error(node, f"{what} must not be empty or have surrounding spaces")
            return None
        if isinstance(node, ScalarNode) and _tag(node).endswith(":null"):
            self.error(owner or node, f"{what} is empty")
        elif isinstance(node, ScalarNode):
            self.error(node, f"{what} must be a string, not {node.value!r}; quote it")
        else:
            kind = "list" if isinstance(node, SequenceNode) else "mapping"
            self.error(node, f"{what} must be a string, not a {kind}")
        return None

    def pairs(self, node: Node | None, section: str) -> Iterator[tuple[Node, str, Node]]:
        """Yield (key node, key, value node) of a mapping section, reporting duplicates."""
        if node is None:
            return
        if not isinstance(node, MappingNode):
            self.error(node, f"section {section!r} must be a mapping of source: target")
            return
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.string(key_node, f"{section} key")
            if key is None:
                continue
            if key in seen:
                self.error(
                    key_node,
                    f"duplicate {section} entry {key!r} (first defined on line {seen[key]})",
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            yield key_node, key, value_node

    def protected(self, node: Node | None) -> list[str]:
        """Read the ``protected`` list of verbatim terms."""
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, "section 'protected' must be a list of terms")
            return []
        terms: dict[str, int] = {}
        for item in node.value:
            term = self.string(item, "protected term")
            if term is None:
                continue
            if term in terms:
                self.error(
                    item, f"duplicate protected term {term!r} (first listed on line {terms[term]})"
                )
            else:
                terms[term] = item.start_mark.line + 1
        return list(terms)

    def characters(self, node: Node | None) -> list[tuple[str, CharRule]]:
        """Read the ``characters`` section of single-character overrides."""
        rules: list[tuple[str, CharRule]] = []
        for key_node, key, value_node in self.pairs(node, "characters"):
            rule = self.char_rule(key_node, key, value_node)
            if rule is not None:
                rules.append((key, rule))
        return rules

    def char_rule(self, key_node: Node, key: str, node: Node) -> CharRule | None:
        """Read one override: either ``汙: 污`` or ``彙: {to: 匯, except: [词汇]}``."""
        ok = self.single_han(key_node, key, "character override source")
        if ok and _is_simplified_only(key):
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
        if _is_simplified_only(target):
            self.error(target_node, f"target {target!r} of {key!r} is a Simplified character")
            return None
        return CharRule(target, exceptions) if ok else None

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
            rendered = _cc(HANT_CONFIG, phrase)
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
        simplified = _cc(HANS_CONFIG, text)
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
        protected: set[str],
        characters: list[tuple[str, CharRule]],
    ) -> list[tuple[str, str]]:
        """Read the ``phrases`` section of Simplified → Traditional fixes."""
        checker = Converter(Glossary(tuple(sorted(protected)), (), tuple(characters)))
        phrases: list[tuple[str, str]] = []
        for key_node, key, value_node in self.pairs(node, "phrases"):
            if not self.simplified(key_node, key, "phrase source"):
                continue
            if key in protected:
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
            leaks = checker.leaks(target, "zh-Hant") if target != key else []
            if leaks:
                shown = ", ".join(f"{x.char}→{x.suggestion}" for x in leaks)
                self.error(
                    value_node,
                    f"target {target!r} of phrase {key!r} still has "
                    f"Simplified characters ({shown})",
                )
                continue
            phrases.append((key, target))
        return phrases


# ---------------------------------------------------------------------------
# Shielding non-prose spans

_Kind = Literal["text", "literal", "frozen"]

_STRING = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
_INLINE_PATTERNS = (
    r"\{##.*?##\}",  # Jinja comment as esgpress configures it (render.make_environment)
    r"\{#[^\n]*?#\}",  # stock Jinja comment, one line only: {#key} is a heading anchor
    r"\{\{(?:" + _STRING + r"|[^}'\"]|\}(?!\}))*\}\}",  # Jinja expression
    r"\{%(?:" + _STRING + r"|[^%'\"]|%(?!\}))*%\}",  # Jinja statement
    r"<!--.*?-->",  # HTML comment
    r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)(?P=ticks)(?!`)",  # code span
    r"</?[A-Za-z](?a:[\w:-]*)(?:\s(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?/?>",  # HTML tag
    r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>",  # autolink
    r"\]\(\s*(?:<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)",  # link or image destination
    r"(?m:^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*\S+)",  # reference definition
    r"\{:?[ \t]*[#.][^{}\n]*\}",  # attribute list such as { #anchor .class }
    r"(?:(?:https?|ftp)://|www\.)[!#$%&*+,\-./0-9:;=?@A-Z_a-z~]+",  # bare URL
    r"(?a:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",  # e-mail address
    _RESERVED.pattern,  # our own placeholders, should the input contain them
)
_INLINE = re.compile("|".join(f"(?:{p})" for p in _INLINE_PATTERNS), re.DOTALL)
_JINJA_TAG = re.compile(r"\{\{|\{%")
_JINJA_STRING = re.compile(_STRING, re.DOTALL)
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class _Segment:
    """A run of the input: prose, a Jinja string literal's content, or shielded."""

    text: str
    kind: _Kind


def _segments(text: str) -> list[_Segment]:
    """Split ``text`` into prose, Jinja literal content and shielded spans."""
    out: list[_Segment] = []
    for chunk, fenced in _fence_chunks(text):
        if fenced:
            out.append(_Segment(chunk, "frozen"))
        else:
            out.extend(_inline_segments(chunk))
    return [s for s in out if s.text]


def _fence_chunks(text: str) -> Iterator[tuple[str, bool]]:
    """Yield (chunk, is_fenced_code) for the text, following CommonMark fences.

    An unclosed fence runs to the end of the document, as CommonMark says.
    """
    lines = text.splitlines(keepends=True)
    start = i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if match is None or (match.group(1)[0] == "`" and "`" in lines[i][match.end() :]):
            i += 1
            continue
        fence = match.group(1)
        closing = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*\r?\n?")
        end = next(
            (j for j in range(i + 1, len(lines)) if closing.fullmatch(lines[j])), len(lines) - 1
        )
        yield "".join(lines[start:i]), False
        yield "".join(lines[i : end + 1]), True
        start = i = end + 1
    yield "".join(lines[start:]), False


def _inline_segments(chunk: str) -> Iterator[_Segment]:
    """Split a chunk outside fenced code into prose and shielded spans."""
    pos = 0
    for match in _INLINE.finditer(chunk):
        yield _Segment(chunk[pos : match.start()], "text")
        if _JINJA_TAG.match(match.group()):
            yield from _jinja_segments(match.group())
        elif match.group("label") is not None:
            # A reference label is prose: it must convert exactly like the
            # [text][label] or [label] that points at it; only the URL is shielded.
            start, end = match.span("label")
            yield _Segment(chunk[match.start() : start], "frozen")
            yield _Segment(chunk[start:end], "text")
            yield _Segment(chunk[end : match.end()], "frozen")
        else:
            yield _Segment(match.group(), "frozen")
        pos = match.end()
    yield _Segment(chunk[pos:], "text")


def _jinja_segments(tag: str) -> Iterator[_Segment]:
    """Shield a Jinja tag but expose Han-bearing string literal contents.

    The literal's quotes stay in the shielded part, so only its inside can
    change, and only its Han characters will (OpenCC ignores the rest).
    """
    pos = 0
    for match in _JINJA_STRING.finditer(tag):
        inside = match.group()[1:-1]
        if any(is_han(c) for c in inside):
            yield _Segment(tag[pos : match.start() + 1], "frozen")
            yield _Segment(inside, "literal")
            pos = match.end() - 1
    yield _Segment(tag[pos:], "frozen")


def _mask(segments: Sequence[_Segment], keep: Iterable[_Kind]) -> tuple[str, list[str]]:
    """Join the segments of the kinds in ``keep``; replace the others by placeholders."""
    kinds = set(keep)
    frozen = [s.text for s in segments if s.kind not in kinds]
    masked = "".join(s.text if s.kind in kinds else _FROZEN for s in segments)
    return masked, frozen


def _unmask(text: str, mark: str, items: Sequence[str]) -> str:
    """Put ``items`` back, in order, where ``mark`` placeholders stand."""
    parts = text.split(mark)
    if len(parts) != len(items) + 1:  # OpenCC dropped or invented a placeholder
        raise RuntimeError(f"placeholder count changed: {len(parts) - 1} != {len(items)}")
    out = [parts[0]]
    for item, part in zip(items, parts[1:], strict=True):
        out.extend((item, part))
    return "".join(out)


# ---------------------------------------------------------------------------
# Punctuation

_DOUBLE_QUOTED = re.compile("“((?:[^“”\n]|\n(?![ \t]*\n))*)”")
_SINGLE_QUOTED = re.compile("‘((?:[^‘’\n]|\n(?![ \t]*\n))*)’")


def _corner_quotes(text: str) -> str:
    """Turn curly quotes around Chinese text into HK corner quotes.

    “…” becomes 「…」 and ‘…’ becomes 『…』 when the quoted text contains a
    Han character; quotes around Latin-only text are English usage and stay.
    The change is one character for one, so positions are preserved.
    """

    def swap(opening: str, closing: str) -> Callable[[re.Match[str]], str]:
        def repl(match: re.Match[str]) -> str:
            inner = match.group(1)
            return opening + inner + closing if _HAN.search(inner) else match.group()

        return repl

    text = _DOUBLE_QUOTED.sub(swap("「", "」"), text)
    return _SINGLE_QUOTED.sub(swap("『", "』"), text)


def _convert_quotes(segments: list[_Segment]) -> list[_Segment]:
    """Apply :func:`_corner_quotes` to prose only, pairing quotes across shields."""
    masked, _ = _mask(segments, ["text"])
    converted = _corner_quotes(masked)
    out: list[_Segment] = []
    pos = 0
    for seg in segments:
        if seg.kind == "text":
            out.append(_Segment(converted[pos : pos + len(seg.text)], "text"))
            pos += len(seg.text)
        else:
            out.append(seg)
            pos += 1
    return out


# ---------------------------------------------------------------------------
# Conversion


class _Terms:
    """Fixed outputs for exact substrings, matched longest first."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        keys = sorted(table, key=lambda k: (-len(k), k))
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def mask(self, text: str) -> tuple[str, list[str]]:
        """Replace each match by a placeholder; return the outputs in order."""
        if self.pattern is None:
            return text, []
        outputs: list[str] = []

        def repl(match: re.Match[str]) -> str:
            outputs.append(self.table[match.group()])
            return _TERM

        return self.pattern.sub(repl, text), outputs


class Converter:
    """Converts between the Simplified source and the Traditional edition.

    Build one per glossary and reuse it: the OpenCC objects are shared
    module-wide and the glossary's match table is compiled here, once.
    """

    def __init__(self, glossary: Glossary | None = None) -> None:
        """Compile the glossary into match tables.

        Args:
            glossary: the project glossary; ``None`` means OpenCC alone.

        """
        self.glossary = glossary or Glossary()
        protected = {term: term for term in self.glossary.protected}
        exceptions = {
            phrase: _cc(HANT_CONFIG, phrase)
            for _, rule in self.glossary.characters
            for phrase in rule.exceptions
        }
        self._hant_terms = _Terms({**exceptions, **self.glossary.phrase_map, **protected})
        self._hans_terms = _Terms(protected)
        self._char_table = str.maketrans(
            {char: rule.target for char, rule in self.glossary.characters}
        )

    @classmethod
    def default(cls, path: Path | None = None) -> Converter:
        """Build a converter from ``path``, else from the repository's glossary.

        Without ``path``, falls back to an empty glossary (plain OpenCC) when
        ``data/glossary.yaml`` is not there, as in an installed wheel. An
        explicit ``path`` must exist: a typo should not silently drop the rules.

        Raises:
            EsgError: the glossary is missing (explicit path) or invalid.

        """
        if path is not None:
            return cls(load_glossary(path))
        if DEFAULT_GLOSSARY_PATH.is_file():
            return cls(load_glossary(DEFAULT_GLOSSARY_PATH))
        return cls(Glossary())

    def to_hant(self, text: str) -> str:
        """Convert Simplified source text to the HK Traditional house style.

        Curly quotes around Chinese become corner quotes (see
        :func:`_corner_quotes`); shielded spans come back byte-identical.
        """
        segments = _convert_quotes(_segments(text))
        return self._convert(segments, self._hant_core)

    def to_hans(self, text: str) -> str:
        """Convert Traditional text to Simplified, keeping protected terms.

        Punctuation is left alone: the Simplified edition is authored, not
        derived, so this direction only serves the measurement and the
        ``esgpress convert --to zh-Hans`` helper.
        """
        return self._convert(_segments(text), self._hans_core)

    def leaks(self, text: str, target: Target) -> list[Leak]:
        """Find characters of the wrong script; see :func:`find_script_leaks`."""
        if target == "zh-Hant":
            expected = self.to_hant(self.to_hans(text))
            return list(_compare(text, expected, _is_simplified_only, self.to_hant))
        if target == "zh-Hans":
            return list(_compare(text, self.to_hans(text), _is_traditional_only, self.to_hans))
        raise ValueError(f"target must be 'zh-Hant' or 'zh-Hans', not {target!r}")

    @staticmethod
    def _convert(segments: Sequence[_Segment], core: Callable[[str], str]) -> str:
        """Run ``core`` on the prose and literals, with shielded spans masked."""
        masked, frozen = _mask(segments, ["text", "literal"])
        return _unmask(core(masked), _FROZEN, frozen)

    def _hant_core(self, text: str) -> str:
        """Glossary terms, then OpenCC, then the house-style character table."""
        masked, outputs = self._hant_terms.mask(text)
        converted = _cc(HANT_CONFIG, masked).translate(self._char_table)
        return _unmask(converted, _TERM, outputs)

    def _hans_core(self, text: str) -> str:
        """Protected terms, then OpenCC's Traditional → Simplified."""
        masked, outputs = self._hans_terms.mask(text)
        return _unmask(_cc(HANS_CONFIG, masked), _TERM, outputs)


# ---------------------------------------------------------------------------
# Script leaks


@dataclass(frozen=True, order=True)
class Leak:
    """A character of the wrong script, at a 1-based line and column.

    Attributes:
        line: 1-based line number.
        col: 1-based column, counted in characters.
        char: the offending character.
        suggestion: what the converter writes there in this context.

    """

    line: int
    col: int
    char: str
    suggestion: str

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.char} → {self.suggestion}"


def find_script_leaks(text: str, target: Target, glossary: Glossary | None = None) -> list[Leak]:
    """Report Simplified characters in zh-Hant text, or Traditional ones in zh-Hans.

    A character is a candidate when OpenCC's data says it belongs to the other
    script only. It is reported only if converting the text in context would
    change it, which spares characters that are valid in both scripts in that
    word (干 in 干涉, 里 in 公里). Protected terms, code, URLs, HTML and Jinja
    syntax are skipped, because conversion never touches them either.

    Args:
        text: the edition's text (Markdown with Jinja).
        target: the script the text should be in.
        glossary: the project glossary; ``None`` means OpenCC alone.

    Returns:
        The leaks in text order, with the suggested replacement.

    """
    return _converter_for(glossary).leaks(text, target)


@functools.lru_cache(maxsize=8)
def _converter_for(glossary: Glossary | None) -> Converter:
    """Reuse converters across leak checks of many files."""
    return Converter(glossary)


def _compare(
    text: str,
    expected: str,
    wrong: Callable[[str], bool],
    convert: Callable[[str], str],
) -> Iterator[Leak]:
    """Yield leaks where ``text`` and its converted form disagree on a wrong-script char.

    Conversion keeps newlines and (nearly always) length, so lines are compared
    position by position; a line whose length changed is aligned with difflib,
    and a character left without a counterpart is converted on its own.
    """
    lines = zip(text.split("\n"), expected.split("\n"), strict=True)
    for number, (line, other) in enumerate(lines, start=1):
        for col, char, suggestion in _line_diffs(line, other):
            if wrong(char):
                yield Leak(number, col, char, suggestion or convert(char))


def _line_diffs(line: str, other: str) -> Iterator[tuple[int, str, str]]:
    """Yield (1-based column, character, replacement or "") where two lines differ."""
    if len(line) == len(other):
        for i, (a, b) in enumerate(zip(line, other, strict=True)):
            if a != b:
                yield i + 1, a, b
        return
    matcher = difflib.SequenceMatcher(None, line, other, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        same_size = op == "replace" and i2 - i1 == j2 - j1
        for k in range(i1, i2):
            yield k + 1, line[k], other[j1 + k - i1] if same_size else ""
