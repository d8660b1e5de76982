"""Chapter images on the site: copied, fingerprinted and responsive.

A chapter embeds a photo or diagram by a path relative to its content folder
(``![Solar panels on the plant roof](images/solar.jpg)`` in
``content/zh/climate.md`` reads ``content/zh/images/solar.jpg``); the PDF
reads that very file (:mod:`esgpress.pdf.chapters`). For the site,
:func:`publish_images` copies each image into the edition's docs as
``images/<name>.<fingerprint>.<ext>``, so a changed photo gets a new address
and a browser never shows a stale one from its cache, and rewrites the
reference as an ``<img>`` with its width and height (no layout shift) and,
for a photo wider than a phone needs, smaller copies in ``srcset`` so a
phone downloads the 480 or 960 px one. SVG is copied as is (it scales).

An image that does not exist is an error naming the chapter and the path:
MkDocs' own warning for it was hidden behind "Aborted with 1 warnings".
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

#: Raster types the site publishes in several widths.
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
#: Widths of the smaller copies (CSS pixels of a phone and a tablet, at 1x and 2x).
WIDTHS = (480, 960)
#: The largest a chapter image is shown on the site (Material's content column).
SIZES = "(max-width: 60em) 100vw, 45rem"
#: A Markdown image: ![alt](src "title").
MD_IMAGE = re.compile(r'!\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^()\s>]+)>?(?:\s+"([^"]*)")?\s*\)')


@dataclass(frozen=True)
class Published:
    """One image as the site serves it."""

    src: str
    width: int | None
    height: int | None
    srcset: tuple[tuple[str, int], ...] = ()


def fingerprint_name(name: str, data: bytes, suffix: str = "") -> str:
    """``photo.jpg`` → ``photo.<10 hex digits of its SHA-256><suffix>.jpg``.

    >>> fingerprint_name("a/photo.jpg", b"x")
    'photo.2d711642b7.jpg'
    >>> fingerprint_name("photo.jpg", b"x", "-480")
    'photo.2d711642b7-480.jpg'
    """
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{path.stem}.{digest}{suffix}{path.suffix.lower()}"


def _resized(data: bytes, fmt: str, width: int) -> tuple[bytes, int]:
    """Make a copy ``width`` pixels wide (same format); return it and its height."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        height = round(img.height * width / img.width)
        small = img.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        options = {"quality": 82, "optimize": True} if fmt == "JPEG" else {"optimize": True}
        small.save(out, fmt, **options)
        return out.getvalue(), height


def publish(path: Path, put: Callable[[str, bytes], None]) -> Published:
    """Copy one image (and its smaller copies) with ``put(rel_path, data)``."""
    data = path.read_bytes()
    name = fingerprint_name(path.name, data)
    put(f"images/{name}", data)
    fmt = RASTER.get(path.suffix.lower())
    if fmt is None:
        return Published(f"images/{name}", None, None)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        width, height = img.size
    srcset = []
    for w in WIDTHS:
        if w < width:
            small, _h = _resized(data, fmt, w)
            small_name = fingerprint_name(path.name, data, f"-{w}")
            put(f"images/{small_name}", small)
            srcset.append((f"images/{small_name}", w))
    if srcset:
        srcset.append((f"images/{name}", width))
    return Published(f"images/{name}", width, height, tuple(srcset))


def img_html(image: Published, alt: str, title: str | None) -> str:
    """Write the responsive ``<img>`` of a published image."""
    attrs = [f'src="{html.escape(image.src)}"', f'alt="{html.escape(alt)}"']
    if title:
        attrs.append(f'title="{html.escape(title)}"')
    if image.width and image.height:
        attrs += [f'width="{image.width}"', f'height="{image.height}"']
    if image.srcset:
        srcset = ", ".join(f"{src} {w}w" for src, w in image.srcset)
        attrs += [f'srcset="{html.escape(srcset)}"', f'sizes="{SIZES}"']
    return f'<img class="esg-image" {" ".join(attrs)}>'


def _local(src: str) -> str | None:
    """Return the relative path of a local image, or None (charts, data: URLs, web)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("charts/", "/", "#")):
        return None
    return unquote(parts.path) or None


def publish_images(
    markdown: str, content_dir: Path, put: Callable[[str, bytes], None]
) -> tuple[str, list[str]]:
    """Copy the images a chapter page uses and point the page at the copies.

    Returns the page and the problems (one per missing image). Images in
    ``<img>`` tags are copied and fingerprinted too; their markup is kept.
    """
    problems: list[str] = []
    done: dict[str, Published] = {}

    def published(rel: str) -> Published | None:
        if rel not in done:
            path = (content_dir / rel).resolve()
            if not path.is_file():
                problems.append(f"image '{rel}' does not exist (looked for {path})")
                return None
            done[rel] = publish(path, put)
        return done[rel]

    def markdown_image(m: re.Match[str]) -> str:
        rel = _local(m.group(2))
        image = published(rel) if rel else None
        if image is None:
            return m.group(0)
        alt = m.group(1).replace("\\]", "]").replace("\\[", "[")
        return img_html(image, alt, m.group(3))

    def html_image(m: re.Match[str]) -> str:
        rel = _local(html.unescape(m.group(2)))
        image = published(rel) if rel else None
        return m.group(0) if image is None else f"{m.group(1)}{image.src}{m.group(3)}"

    # <img> tags first: the Markdown images become <img> tags pointing at the copies.
    markdown = re.sub(r'(<img\b[^>]*?\ssrc=")([^"]+)(")', html_image, markdown)
    markdown = MD_IMAGE.sub(markdown_image, markdown)
    return markdown, problems
