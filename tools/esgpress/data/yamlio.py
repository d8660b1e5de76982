"""Read YAML data files as located nodes, safely.

The data files are edited by hand and filled from spreadsheets, so the reader
must say *where* a problem is. We stop at ruamel.yaml's composition stage: the
node graph still has every scalar's original text (``7122.60`` stays
``7122.60``, which a float would lose) and its line and column. Our own
schema code (the ``load_*`` modules) then turns nodes into the model.

Hazards refused here, each with a located message instead of a traceback or a
hang: non-UTF-8 bytes, files over :data:`MAX_BYTES`, lines over
:data:`MAX_LINE`, nesting deeper than :data:`MAX_FLOW_DEPTH` brackets or
:data:`MAX_INDENT` columns (ruamel.yaml is quadratic on it), control
characters, tabs used as indentation, syntax errors, duplicate keys, anchors
and aliases (the "billion laughs" memory bomb and a source of action at a
distance), non-string keys where a name is expected. A BOM and CRLF line
endings are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from esgpress.core.errors import Problems

#: Data files larger than this are refused before parsing: a real KPI file is
#: about 100 kB (ruamel.yaml reads it in under a second), and a bigger one is a
#: mistake (or an attack) that would only make every build slow.
MAX_BYTES = 1_000_000

#: Longest line accepted (characters). Real lines are under 500; ruamel.yaml
#: scans a megabyte-long line for seconds.
MAX_LINE = 10_000

#: Deepest ``[``/``{`` nesting and widest indentation accepted. A KPI file needs a
#: handful of levels; ruamel.yaml takes quadratic time on deep nesting (a
#: 10,000-level ``[[[…]]]`` hangs for minutes) and recurses on composing it.
MAX_FLOW_DEPTH = 64
MAX_INDENT = 160

#: Where an anchor (``&name``) or an alias (``*name``) could start. Without
#: either there is no alias to report, so the text is parsed once (composed)
#: instead of twice, which halves the time to load the data; ``R&D`` or
#: ``S & P`` in a label does not match (a false match only costs time).
ANCHOR = re.compile(r"(?:^|[\s\[{,:])[&*][^\s,\[\]{}]")

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"


def tag_of(node: Node) -> str:
    """Return the resolved tag of a node as a plain string (ruamel versions differ)."""
    tag = node.tag
    return tag if isinstance(tag, str) else str(getattr(tag, "value", tag))


def pos(node: Node) -> tuple[int, int]:
    """1-based (line, column) of a node's start."""
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass
class Document:
    """A parsed data file: its display path, text lines and root node."""

    path: str
    root: Node | None
    lines: list[str]


def _legacy_chinese(raw: bytes, start: int) -> bool:
    """Whether a file that is not UTF-8 reads as GBK/GB18030 or Big5 (Windows editors' default).

    The first bad byte and the next must both be in the common double-byte
    range (0xA1–0xFE, where GB2312 and Big5 put their hanzi), so Latin-1 text
    such as ``Zürich`` (one high byte, then a letter) gets no Chinese hint.
    """
    pair = raw[start : start + 2]
    if len(pair) < 2 or not all(0xA1 <= b <= 0xFE for b in pair):
        return False
    for codec in ("gb18030", "big5"):
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _decode(raw: bytes, path: str, problems: Problems) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        hint = "; it looks like GBK/GB18030 or Big5 text" if _legacy_chinese(raw, exc.start) else ""
        problems.add(
            path,
            line,
            col,
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}){hint}; save it as UTF-8",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def reader_problem(exc: YAMLError, text: str, path: str, problems: Problems) -> bool:
    """Locate a character YAML refuses (ruamel gives only an offset); False if not that error."""
    if not isinstance(exc, ReaderError) or not isinstance(exc.position, int):
        return False
    before = text[: exc.position]
    char = exc.character if isinstance(exc.character, int) else 0
    problems.add(
        path,
        before.count("\n") + 1,
        len(before) - (before.rfind("\n") + 1) + 1,
        f"the control character U+{char:04X} is not allowed in YAML; delete it",
    )
    return True


def _syntax_problem(exc: YAMLError, path: str, problems: Problems, text: str) -> None:
    if reader_problem(exc, text, path, problems):
        return
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    col = mark.column + 1 if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    message = f"YAML syntax error: {problem}"
    if line and "\t" in (text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""):
        message = "a tab character is not allowed in YAML indentation; indent with spaces"
    problems.add(path, line, col, message)


def nesting_problem(text: str, path: str, problems: Problems) -> bool:
    """Refuse absurd nesting before ruamel.yaml sees it; return True if refused.

    Brackets are counted everywhere, quoted or not: real data never opens 64
    of them without closing, so the shortcut costs no false alarm and keeps
    the check linear and impossible to trick with a stray quote.
    """
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE:
            problems.add(
                path,
                number,
                1,
                f"the line is {len(line):,} characters long; data files have short lines "
                f"(at most {MAX_LINE:,} characters are accepted)",
            )
            return True
        indent = len(line) - len(line.lstrip(" "))
        if indent > MAX_INDENT and line.strip():
            problems.add(
                path,
                number,
                1,
                f"the line is indented {indent} spaces; data files nest only a few levels "
                f"(at most {MAX_INDENT} spaces of indentation are accepted)",
            )
            return True
        if "[" not in line and "{" not in line and not depth:
            continue
        for col, ch in enumerate(line, start=1):
            if ch in "[{":
                depth += 1
                if depth > MAX_FLOW_DEPTH:
                    problems.add(
                        path,
                        number,
                        col,
                        f"more than {MAX_FLOW_DEPTH} nested brackets; "
                        "data files nest only a few levels",
                    )
                    return True
            elif ch in "]}":
                depth = max(depth - 1, 0)
    return False


def parse_text(text: str, path: str, problems: Problems) -> Node | None:
    """Compose ``text`` into a node tree, adding any problem to ``problems``."""
    if nesting_problem(text, path, problems):
        return None
    yaml = YAML(typ="safe", pure=True)
    try:
        aliases = 0  # this file's aliases only: ``problems`` also holds other files' problems
        for event in yaml.parse(text) if ANCHOR.search(text) else ():
            if isinstance(event, AliasEvent):
                aliases += 1
                mark = event.start_mark
                problems.add(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    f"alias '*{event.anchor}' is not allowed in data files; "
                    "write the value out where it is used",
                )
        if aliases:
            return None
        root: Node | None = yaml.compose(text)
    except (MarkedYAMLError, YAMLError) as exc:
        _syntax_problem(exc, path, problems, text)
        return None
    except RecursionError:
        problems.add(path, 0, 0, "the document is nested too deeply to be a data file")
        return None
    if root is not None:
        _check_duplicates(root, path, problems)
        _unmark_folds(root)
        _check_characters(root, path, problems)
    return root


#: Characters no data text may hold, typed or written as a YAML escape (``"\\e"``,
#: ``"\\0"``): C0 and C1 controls (tab and line feed aside, which block scalars
#: need) and the bidirectional controls that reorder what a reader sees
#: ("Trojan Source"), so a label cannot print differently from how it reads.
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _check_characters(root: Node, path: str, problems: Problems) -> None:
    """Refuse control and bidi characters in every key and value, at the node's line."""
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            m = FORBIDDEN_CHARS.search(node.value)
            if m is not None:
                line, col = pos(node)
                kind = "bidirectional control" if ord(m.group(0)) > 0x9F else "control character"
                problems.add(
                    path,
                    line,
                    col,
                    f"the {kind} U+{ord(m.group(0)):04X} is not allowed in a data text "
                    "(typed, or written as an escape such as \\e or \\0); delete it",
                )
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.value):  # reversed: problems in document order
                stack.extend((value, key))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))


def _unmark_folds(root: Node) -> None:
    """Drop the BEL (U+0007) ruamel's round-trip composer leaves at each fold of a ``>`` scalar.

    It marks where a folded line broke so a dump can restore it; in a footnote it
    would print as a missing glyph.
    """
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            if "\a" in node.value:
                node.value = node.value.replace("\a", "")
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


def read_text(
    file: Path, display: str, problems: Problems, limit: int = MAX_BYTES, what: str = "data files"
) -> str | None:
    """Read a text file (size limit, UTF-8, no BOM, LF); None if it cannot be.

    ``what`` names the kind of file in the size message; chapters use it too.
    """
    try:
        with file.open("rb") as f:
            raw = f.read(limit + 1)
    except FileNotFoundError:
        problems.add(display, 0, 0, "file not found")
        return None
    except OSError as exc:
        problems.add(display, 0, 0, f"cannot read the file: {exc.strerror}")
        return None
    if len(raw) > limit:
        size = max(len(raw), file.stat().st_size)
        problems.add(
            display,
            0,
            0,
            f"the file is {size:,} bytes; {what} over {limit:,} bytes are refused",
        )
        return None
    return _decode(raw, display, problems)


def read_document(file: Path, display: str, problems: Problems) -> Document:
    """Read and compose one data file; problems are collected, never raised."""
    text = read_text(file, display, problems)
    if text is None:
        return Document(display, None, [])
    root = parse_text(text, display, problems)
    return Document(display, root, text.split("\n"))


def _check_duplicates(root: Node, path: str, problems: Problems) -> None:
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        line, col = pos(key)
                        problems.add(
                            path,
                            line,
                            col,
                            f"duplicate key '{key.value}' (first on line {seen[key.value]}); "
                            "a later key would silently replace the earlier one",
                        )
                    else:
                        seen[key.value] = pos(key)[0]
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


def mapping_items(node: MappingNode) -> list[tuple[ScalarNode, Node]]:
    """Key/value pairs of a mapping whose keys are scalars (others are skipped)."""
    return [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]


def describe(node: Node) -> str:
    """Describe a node briefly for messages ("a list", "'abc'")."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        if tag_of(node) == NULL:
            return "an empty value"
        return repr(node.value)
    return "an unknown value"
