"""Check what a rendered chapter embeds or links, before any output is built.

A chapter is Markdown with HTML, so a writer (or a figure's text in the data)
can point an image at ``../../etc/passwd``, ``file:///etc/passwd`` or
``http://127.0.0.1/…``. WeasyPrint would try to read it into the PDF and a
browser would fetch it from every reader's machine. The print edition's URL
fetcher already refuses such reads, but too late and too vaguely for a writer;
this check runs in the render step, which ``esgpress render``, ``esgpress
check``, the site build and the PDF build all share, and names the chapter
file and line.

The policy (docs/security.md):

* Embedded resources (Markdown images, ``<img>``, ``<source>``, ``<video>``,
  ``<audio>``, ``<track>``, ``<iframe>``, ``<object>``, ``<embed>``,
  ``<link>``, ``<input type=image>``, ``srcset``, CSS ``url()`` and
  ``@import``) must be relative paths that stay inside ``content/``, or
  ``data:`` URLs of raster images (PNG, JPEG, GIF, WebP). Absolute paths,
  ``..`` that leaves ``content/``, symbolic links that lead out of the
  project, ``file:`` and every remote URL are refused: a remote image makes
  the build depend on the network and tells a third party who reads the
  report.
* Hyperlinks may be web addresses (``http:``, ``https:``), ``mailto:``,
  ``tel:``, fragments and relative links. ``file:``, ``javascript:``,
  ``data:`` and ``vbscript:`` links are refused.
* Active content is refused: ``<script>``, ``<base>``, ``<meta>`` and
  ``on…=`` event attributes.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Raster image types a chapter may inline as ``data:`` URLs. SVG is left out: an
#: SVG document can carry scripts and references to other resources.
DATA_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")

#: Schemes a hyperlink may use.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

#: Elements a chapter may not contain at all.
ACTIVE = frozenset({"script", "base", "meta"})

#: Attributes that load a resource, per element ("*" = any element).
RESOURCE_ATTRS: dict[str, tuple[str, ...]] = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "link": ("href",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}

#: Attributes that are hyperlinks.
LINK_ATTRS: dict[str, tuple[str, ...]] = {"a": ("href",), "area": ("href",), "form": ("action",)}

#: Labels stop at the next "[" (``[^\][\\]``): each character is then scanned from
#: one start only, so a line of 100,000 "[" takes linear time, not minutes. A link
#: inside nested brackets is not seen here; the HTML sanitiser still cleans it.
MD_IMAGE = re.compile(r"!\[(?:[^\][\\]|\\.)*\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)")
MD_LINK = re.compile(r"(?<!!)\[(?:[^\][\\]|\\.)*\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)")
MD_IMAGE_REF = re.compile(r"!\[((?:[^\][\\]|\\.)*)\](?:\[((?:[^\][\\]|\\.)*)\])?")
MD_REF_DEF = re.compile(r"^ {0,3}\[((?:[^\]\\]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
MD_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)


@dataclass(frozen=True)
class Finding:
    """A refused reference at a line of the rendered chapter."""

    line: int
    message: str


def check_chapter(markdown: str, root: Path, lang_dir: str) -> list[Finding]:
    """Return every refused image, resource, link or active element of a rendered chapter.

    ``lang_dir`` is the content folder of the chapter (``zh`` or ``en``):
    relative paths are read from there, as the print edition reads them.
    """
    base = f"content/{lang_dir}"
    found: list[Finding] = []
    tags = _Tags()
    tags.feed(markdown)
    tags.close()
    for line, kind, url in [*_references(markdown), *tags.references]:
        reason = _link_reason(url) if kind == "link" else _resource_reason(url, base, root)
        if reason:
            found.append(Finding(line, f"{kind} '{_short(url)}' {reason}"))
    found += [Finding(line, message) for line, message in tags.active]
    found += bracket_floods(markdown)
    found += [Finding(line, message) for line, message in missing_alt(markdown, tags.no_alt)]
    return sorted(set(found), key=lambda f: (f.line, f.message))


#: Most "[" a paragraph (or a table cell) may hold. Python-Markdown looks for
#: the end of a link from every "[", so its time grows with the square of
#: their number in one inline text (2,000 unclosed take seconds, 5,000 a
#: quarter of a minute). A table's cells are inline texts of their own, so a
#: table is measured cell by cell: a content index of a thousand linked rows
#: is fine, one cell of a thousand "[" is not.
MAX_BRACKETS = 200


def _brackets(block: str) -> int:
    """Count the "[" of the fullest inline text of ``block``: the block, or one table cell."""
    lines = [line.strip() for line in block.strip("\n").split("\n")]
    if len(lines) > 1 and all(line.startswith("|") for line in lines):
        return max(cell.count("[") for line in lines for cell in line.split("|"))
    return block.count("[")


def bracket_floods(markdown: str) -> list[Finding]:
    """Paragraphs or table cells with more than :data:`MAX_BRACKETS` "[", at the block's line."""
    out = []
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", markdown):
        count = _brackets(block)
        if count > MAX_BRACKETS:
            out.append(
                Finding(
                    line + (len(block) - len(block.lstrip("\n"))),
                    f"the paragraph holds {count:,} '[' (at most {MAX_BRACKETS} are accepted: "
                    "Markdown reads such text in quadratic time); split it, or write &#91;",
                )
            )
        line += block.count("\n")
    return out


def source_lines(source: str, rendered: str) -> list[int]:
    """Map each line of ``rendered`` (index 0 = line 1) to the source line it came from.

    Template calls turn one source line into several output lines (a KPI
    table) or none; matching the two texts line by line puts each output line
    back on the source line that produced it.
    """
    src, out = source.split("\n"), rendered.split("\n")
    mapping = [0] * (len(out) + 1)
    matcher = difflib.SequenceMatcher(None, src, out, autojunk=False)
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            mapping[j] = min(i1 + (j - j1), max(i2 - 1, i1)) + 1
    return mapping


# ---------------------------------------------------------------- finding references


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _references(text: str) -> Iterator[tuple[int, str, str]]:
    """Yield (line, kind, url) for every reference in the Markdown (HTML tags: :class:`_Tags`)."""
    for m in MD_IMAGE.finditer(text):
        yield _line_of(text, m.start()), "image", _unbracket(m.group(1))
    for m in MD_LINK.finditer(text):
        yield _line_of(text, m.start()), "link", _unbracket(m.group(1))
    image_refs = {
        _label(m.group(2) or m.group(1)) for m in MD_IMAGE_REF.finditer(text) if m.group(0)
    }
    for m in MD_REF_DEF.finditer(text):
        kind = "image" if _label(m.group(1)) in image_refs else "link"
        yield _line_of(text, m.start()), kind, _unbracket(m.group(2))
    for m in CSS_URL.finditer(text):
        yield _line_of(text, m.start()), "resource", (m.group(2) or m.group(4) or "").strip()
    for m in MD_AUTOLINK.finditer(text):
        yield _line_of(text, m.start()), "link", m.group(1)


#: Most elements an HTML element of a chapter may be nested in (tables in lists in
#: details are a dozen levels deep; the sample's deepest is under ten).
MAX_NESTING = 100
#: Elements with no content (they never nest others).
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
#: Elements a writer may leave open before the next one of the same kind.
SIBLINGS = frozenset({"li", "p", "dt", "dd", "tr", "td", "th", "option"})


class _Tags(HTMLParser):
    """Collect URL attributes and active content of the HTML in a chapter."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[tuple[int, str, str]] = []
        self.active: list[tuple[int, str]] = []
        self.no_alt: list[tuple[int, str]] = []  # (line, src) of <img> without alt=
        self.open: list[str] = []  # the elements open at this point, outermost first

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self._nest(tag, line)
        if tag == "img" and "alt" not in dict(attrs):
            self.no_alt.append((line, dict(attrs).get("src") or ""))
        if tag in ACTIVE:
            self.active.append((line, f"a chapter cannot contain <{tag}> elements"))
        for name, value in attrs:
            if name.startswith("on"):
                self.active.append(
                    (line, f"a chapter cannot contain event attributes ({name}= on <{tag}>)")
                )
            if value is None:
                continue
            if name in RESOURCE_ATTRS.get(tag, ()):
                urls = _srcset(value) if name == "srcset" else [value]
                kind = "image" if tag == "img" else "resource"
                self.references += [(line, kind, url) for url in urls]
            elif name in LINK_ATTRS.get(tag, ()):
                self.references.append((line, "link", value))
            elif name == "style":
                for m in CSS_URL.finditer(value):
                    url = (m.group(2) or m.group(4) or "").strip()
                    self.references.append((line, "resource", url))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)  # <x/> opens nothing: balance the push of handle_starttag
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:  # close it and whatever was left open inside it
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def _nest(self, tag: str, line: int) -> None:
        """Track how deep elements nest; refuse the chapter once, past :data:`MAX_NESTING`.

        The sanitiser's check, WeasyPrint's layout and the browser walk the
        tree recursively: an ordered list nested 3,000 deep ended the PDF
        build with a RecursionError. Elements that never hold others, and a
        ``<li>`` or ``<p>`` left open before the next one, do not count.
        """
        if tag in VOID:
            return
        if tag in SIBLINGS and self.open and self.open[-1] == tag:
            self.open.pop()
        self.open.append(tag)
        if len(self.open) == MAX_NESTING + 1:
            self.active.append(
                (
                    line,
                    f"the chapter's HTML nests elements more than {MAX_NESTING} deep "
                    f"(here <{tag}>); a report never needs that many levels: flatten it",
                )
            )


#: A Markdown image with nothing between its brackets.
MD_IMAGE_NO_ALT = re.compile(r"!\[\s*\]\(\s*(<[^>\n]*>|[^()\s]+)")


def missing_alt(markdown: str, tags: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Yield (line, message) for each image without a text alternative.

    A reader of a screen reader hears the alt text instead of the photo, and
    the PDF/UA file needs it too. ``alt=""`` in HTML says on purpose that an
    image is decoration, and is accepted.

    >>> list(missing_alt("![](images/a.jpg)", []))[0][1][:40]
    "image 'images/a.jpg' has no alt text: wr"
    """
    hint = (
        "write what it shows between the brackets (![Solar panels on the plant roof](…)), "
        'or <img alt="" …> for a decorative image'
    )
    for m in MD_IMAGE_NO_ALT.finditer(markdown):
        yield (
            _line_of(markdown, m.start()),
            f"image '{_unbracket(m.group(1))}' has no alt text: {hint}",
        )
    for line, src in tags:
        yield line, f"image '{_short(src)}' has no alt attribute: {hint}"


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _unbracket(url: str) -> str:
    return url[1:-1] if url.startswith("<") and url.endswith(">") else url


def _label(label: str) -> str:
    return " ".join(label.lower().split())


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "..."


# ---------------------------------------------------------------- the policy


def _resource_reason(url: str, base: str, root: Path) -> str:
    """Why an embedded resource is refused, or "" when it may be embedded."""
    if re.match(r"^[A-Za-z]:[\\/]", url.strip()):
        return "is an absolute path; use a path relative to the chapter (images/…)"
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "data":
        mime = parts.path.split(",", 1)[0].split(";", 1)[0].strip().lower()
        if mime in DATA_IMAGES:
            return ""
        kinds = ", ".join(DATA_IMAGES)
        return f"is a data: URL of type '{mime or 'text/plain'}'; only {kinds} may be inlined"
    if scheme == "file":
        return "reads a file of this machine; embed files of content/ by relative path (images/…)"
    if scheme or parts.netloc or url.strip().startswith("//"):
        return (
            "is a remote resource; the report embeds project files only "
            "(save it under content/ and use a relative path)"
        )
    path = unquote(parts.path)
    if not path:
        return "" if url.strip() else "is empty"
    if path.startswith(("/", "\\")):
        return "is an absolute path; use a path relative to the chapter (images/…)"
    joined = posixpath.normpath(posixpath.join(base, path.replace("\\", "/")))
    if joined != "content" and not joined.startswith("content/"):
        return "points outside the project's content/ folder; keep images in content/"
    real = (root / joined).resolve()
    if (root / joined).exists() and not real.is_relative_to(root.resolve() / "content"):
        return "is a symbolic link that leads out of the project's content/ folder"
    return ""


def _link_reason(url: str) -> str:
    """Why a hyperlink is refused, or "" when it may be published."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if not scheme or scheme in LINK_SCHEMES:
        return ""
    if scheme == "file":
        return "points at a file of this machine; link to a web address (https://…) or a chapter"
    return f"uses the '{scheme}:' scheme; links may be http(s), mailto or tel addresses"
