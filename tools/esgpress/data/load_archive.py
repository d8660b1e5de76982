"""Load what the site publishes beside the report: ``archive:``, ``policies:``, ``contact:``.

All three are blocks of ``data/report.yaml`` (docs/data-format.md):

- ``archive:`` earlier years' published reports, one entry per year with its
  editions (a PDF in the project or an address) and data files;
- ``policies:`` the company's policies offered for download, files in the
  project with a title and the date of the version;
- ``contact:`` the e-mail address, web address, postal address and feedback
  channel printed in the site's footer.

A file is named by its path from the project folder (``archive/2023/report.pdf``)
and must stay inside it, as every other resource: no absolute path, no
``..``, no symbolic link out of the project, and the file must exist. That is
checked here, with the position in ``data/report.yaml``, so ``esgpress check``
reports it before a build copies anything to the public site.
"""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml.nodes import Node

from esgpress.core.errors import Problems
from esgpress.data.model import (
    EDITIONS,
    ArchiveYear,
    Contact,
    Publications,
    PublishedFile,
)
from esgpress.data.schema import Reader
from esgpress.data.yamlio import Document

#: The top-level keys of ``data/report.yaml`` this module reads.
PUBLICATION_KEYS = ("archive", "policies")
ARCHIVE_KEYS = ("year", "title", "reports", "data")
ARCHIVE_REQUIRED = ("year", "reports")
REPORT_FILE_KEYS = ("edition", "file", "url")
DATA_FILE_KEYS = ("edition", "file", "url", "title")
POLICY_KEYS = ("title", "file", "date")
POLICY_REQUIRED = ("title", "file")
CONTACT_KEYS = ("email", "url", "address", "feedback")
EMAIL = re.compile(r"[^@\s/:]+@[^@\s/]+\.[^@\s/]+")


def load_publications(root: Path, doc: Document, problems: Problems) -> Publications:
    """Read ``archive``, ``policies`` and ``contact``; every problem at its line."""
    r = Reader(doc.path, problems)
    top = r.mapping(doc.root, "the report file") if doc.root is not None else None
    if not top:
        return Publications()

    def get(key: str) -> Node | None:
        return top[key][1] if key in top else None

    archive = tuple(
        year
        for year in (_archive_year(r, root, n) for n in r.sequence(get("archive"), "archive") or [])
        if year is not None
    )
    seen: set[int] = set()
    for item, year in zip(r.sequence(get("archive"), "archive") or [], archive, strict=False):
        if year.year in seen:
            r.error(item, f"archive: the year {year.year} is listed twice")
        seen.add(year.year)
    policies = tuple(
        p
        for p in (_policy(r, root, n) for n in r.sequence(get("policies"), "policies") or [])
        if p is not None
    )
    return Publications(
        tuple(sorted(archive, key=lambda y: -y.year)), policies, _contact(r, get("contact"))
    )


def _archive_year(r: Reader, root: Path, node: Node) -> ArchiveYear | None:
    """One ``archive:`` entry: the year, its report editions and its data files."""
    entries = r.mapping(node, "archive entry")
    if entries is None:
        return None
    r.keys(entries, "archive entry", ARCHIVE_KEYS, ARCHIVE_REQUIRED, node)
    year = r.year(entries["year"][1], "archive.year") if "year" in entries else None
    where = f"archive {year}" if year else "archive"
    title = r.text(entries["title"][1], f"{where}.title") if "title" in entries else None
    reports: list[PublishedFile] = []
    data: list[PublishedFile] = []
    for key, out, keys, required in (
        ("reports", reports, REPORT_FILE_KEYS, ("edition",)),
        ("data", data, DATA_FILE_KEYS, ()),
    ):
        listed = r.sequence(entries[key][1], f"{where}.{key}") if key in entries else None
        for item in listed or []:
            published = _file(r, root, item, f"{where}.{key}", keys, required)
            if published is not None:
                out.append(published)
    if year is None:
        return None
    return ArchiveYear(year, tuple(reports), tuple(data), title)


def _file(
    r: Reader,
    root: Path,
    node: Node,
    what: str,
    keys: tuple[str, ...],
    required: tuple[str, ...],
) -> PublishedFile | None:
    """Read a report edition or data file: ``file:`` (in the project) or ``url:``, exactly one."""
    entries = r.mapping(node, what)
    if entries is None:
        return None
    r.keys(entries, what, keys, required, node)
    edition = None
    if "edition" in entries:
        edition = r.string(entries["edition"][1], f"{what}.edition")
        if edition is not None and edition not in EDITIONS:
            r.error(
                entries["edition"][1],
                f"{what}.edition: unknown edition '{edition}'; choose from {', '.join(EDITIONS)}",
            )
            return None
    if ("file" in entries) == ("url" in entries):
        r.error(node, f"{what} needs either 'file' (a path in the project) or 'url', one of them")
        return None
    title = r.text(entries["title"][1], f"{what}.title") if "title" in entries else None
    if "url" in entries:
        url = _address(r, entries["url"][1], f"{what}.url")
        return PublishedFile(url=url, edition=edition, title=title) if url else None
    path = project_file(r, root, entries["file"][1], f"{what}.file")
    return PublishedFile(path=path, edition=edition, title=title) if path else None


def _policy(r: Reader, root: Path, node: Node) -> PublishedFile | None:
    """One ``policies:`` entry: a title, a file in the project, the date of this version."""
    entries = r.mapping(node, "policy")
    if entries is None:
        return None
    r.keys(entries, "policy", POLICY_KEYS, POLICY_REQUIRED, node)
    title = r.text(entries["title"][1], "policy.title") if "title" in entries else None
    path = project_file(r, root, entries["file"][1], "policy.file") if "file" in entries else None
    day = r.date(entries["date"][1], "policy.date") if "date" in entries else None
    if title is None or path is None:
        return None
    return PublishedFile(path=path, title=title, date=day)


def project_file(r: Reader, root: Path, node: Node, what: str) -> str | None:
    """Read a path that must name an existing file inside the project folder.

    The site copies it to the public downloads, so a path out of the project
    (``/etc/passwd``, ``../secrets.txt``, a symbolic link to either) is refused.
    """
    value = r.string(node, what)
    if value is None:
        return None
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value) or ".." in parts:
        r.error(node, f"{what} should be a path inside the project folder, not '{value}'")
        return None
    base = root.resolve()
    path = base / value
    try:
        inside = path.resolve().is_relative_to(base)
    except (OSError, RuntimeError):  # a symbolic link loop
        inside = False
    if not inside:
        r.error(node, f"{what} '{value}' leads out of the project folder (a symbolic link?)")
        return None
    if not path.is_file():
        r.error(node, f"{what}: no file '{value}' in the project folder")
        return None
    return "/".join(p for p in parts if p not in ("", "."))


def _address(r: Reader, node: Node, what: str) -> str | None:
    """Read an ``http(s)://`` address."""
    url = r.string(node, what)
    if url and not re.match(r"https?://[^\s/]+", url):
        r.error(node, f"{what} should be an absolute address (https://…), not '{url}'")
        return None
    return url


def _contact(r: Reader, node: Node | None) -> Contact:
    """Read ``contact``: e-mail, web address, postal address, feedback (an address or e-mail)."""
    if node is None:
        return Contact()
    entries = r.mapping(node, "contact") or {}
    r.keys(entries, "contact", CONTACT_KEYS)
    email = r.string(entries["email"][1], "contact.email") if "email" in entries else None
    if email is not None and not EMAIL.fullmatch(email):
        r.error(entries["email"][1], f"contact.email should be an e-mail address, not '{email}'")
        email = None
    url = _address(r, entries["url"][1], "contact.url") if "url" in entries else None
    address = r.text(entries["address"][1], "contact.address") if "address" in entries else None
    feedback = None
    if "feedback" in entries:
        value = r.string(entries["feedback"][1], "contact.feedback")
        if value is not None and EMAIL.fullmatch(value):
            feedback = f"mailto:{value}"
        elif value is not None:
            feedback = _address(r, entries["feedback"][1], "contact.feedback")
    return Contact(email, url, address, feedback)
