"""Shielding: which spans of a chapter are prose and which must come back byte for byte.

Conversion may only touch prose. Fenced and inline code, HTML tags and
comments, URLs, link destinations, attribute lists such as heading anchors
``{#key}``, and Jinja syntax (esgpress writes Jinja comments as
``{## … ##}``) are swapped for a placeholder character before OpenCC runs
and put back afterwards. Han characters inside Jinja string literals are
content (``{% call case("节能案例") %}``) and are converted; every other byte
of a shielded span is left exactly as written. Curly quotes around Chinese
prose become HK corner quotes here too, pairing quotes across shields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from esgpress.data.scripts import FROZEN, HAN, RESERVED, is_han

Kind = Literal["text", "literal", "frozen"]

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
    RESERVED.pattern,  # our own placeholders, should the input contain them
)
_INLINE = re.compile("|".join(f"(?:{p})" for p in _INLINE_PATTERNS), re.DOTALL)
_JINJA_TAG = re.compile(r"\{\{|\{%")
_JINJA_STRING = re.compile(_STRING, re.DOTALL)
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Segment:
    """A run of the input: prose, a Jinja string literal's content, or shielded."""

    text: str
    kind: Kind


def segments(text: str) -> list[Segment]:
    """Split ``text`` into prose, Jinja literal content and shielded spans."""
    out: list[Segment] = []
    for chunk, fenced in _fence_chunks(text):
        if fenced:
            out.append(Segment(chunk, "frozen"))
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


def _inline_segments(chunk: str) -> Iterator[Segment]:
    """Split a chunk outside fenced code into prose and shielded spans."""
    pos = 0
    for match in _INLINE.finditer(chunk):
        yield Segment(chunk[pos : match.start()], "text")
        if _JINJA_TAG.match(match.group()):
            yield from _jinja_segments(match.group())
        elif match.group("label") is not None:
            # A reference label is prose: it must convert exactly like the
            # [text][label] or [label] that points at it; only the URL is shielded.
            start, end = match.span("label")
            yield Segment(chunk[match.start() : start], "frozen")
            yield Segment(chunk[start:end], "text")
            yield Segment(chunk[end : match.end()], "frozen")
        else:
            yield Segment(match.group(), "frozen")
        pos = match.end()
    yield Segment(chunk[pos:], "text")


def _jinja_segments(tag: str) -> Iterator[Segment]:
    """Shield a Jinja tag but expose Han-bearing string literal contents.

    The literal's quotes stay in the shielded part, so only its inside can
    change, and only its Han characters will (OpenCC ignores the rest).
    """
    pos = 0
    for match in _JINJA_STRING.finditer(tag):
        inside = match.group()[1:-1]
        if any(is_han(c) for c in inside):
            yield Segment(tag[pos : match.start() + 1], "frozen")
            yield Segment(inside, "literal")
            pos = match.end() - 1
    yield Segment(tag[pos:], "frozen")


def mask(parts: Sequence[Segment], keep: Iterable[Kind]) -> tuple[str, list[str]]:
    """Join the segments of the kinds in ``keep``; replace the others by :data:`FROZEN`."""
    kinds = set(keep)
    frozen = [s.text for s in parts if s.kind not in kinds]
    masked = "".join(s.text if s.kind in kinds else FROZEN for s in parts)
    return masked, frozen


_DOUBLE_QUOTED = re.compile("“((?:[^“”\n]|\n(?![ \t]*\n))*)”")
_SINGLE_QUOTED = re.compile("‘((?:[^‘’\n]|\n(?![ \t]*\n))*)’")


def corner_quotes(text: str) -> str:
    """Turn curly quotes around Chinese text into HK corner quotes.

    “…” becomes 「…」 and ‘…’ becomes 『…』 when the quoted text contains a
    Han character; quotes around Latin-only text are English usage and stay.
    The change is one character for one, so positions are preserved.
    """

    def swap(opening: str, closing: str) -> Callable[[re.Match[str]], str]:
        def repl(match: re.Match[str]) -> str:
            inner = match.group(1)
            return opening + inner + closing if HAN.search(inner) else match.group()

        return repl

    text = _DOUBLE_QUOTED.sub(swap("「", "」"), text)
    return _SINGLE_QUOTED.sub(swap("『", "』"), text)


def convert_quotes(parts: list[Segment]) -> list[Segment]:
    """Apply :func:`corner_quotes` to prose only, pairing quotes across shields."""
    masked, _ = mask(parts, ["text"])
    converted = corner_quotes(masked)
    out: list[Segment] = []
    pos = 0
    for seg in parts:
        if seg.kind == "text":
            out.append(Segment(converted[pos : pos + len(seg.text)], "text"))
            pos += len(seg.text)
        else:
            out.append(seg)
            pos += 1
    return out
