"""``esgpress doctor``: is this machine able to build the report, and if not, what to install.

The Python packages come with ``pip install``; what pip cannot install is
checked here: the Python version, the libraries WeasyPrint loads at run time
(Pango, HarfBuzz's subsetter), each edition's fonts (:mod:`esgpress.pdf.fonts`)
and poppler's ``pdftotext``, which only the test suite uses. Every missing
piece comes with the Debian package that provides it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from esgpress.pdf.fonts import Finding, font_findings

#: Oldest Python the package supports (pyproject.toml ``requires-python``).
MIN_PYTHON = (3, 11)
#: Oldest Pango WeasyPrint supports.
MIN_PANGO = (1, 44)


@dataclass(frozen=True)
class Library:
    """A shared library WeasyPrint loads, the names it goes by, and its Debian package."""

    label: str
    names: tuple[str, ...]
    package: str


#: The libraries WeasyPrint opens with cffi (weasyprint/text/ffi.py), by soname.
LIBRARIES = (
    Library("Pango", ("libpango-1.0.so.0", "pango-1.0"), "libpango-1.0-0"),
    Library("PangoFT2", ("libpangoft2-1.0.so.0", "pangoft2-1.0"), "libpangoft2-1.0-0"),
    Library(
        "libharfbuzz-subset",
        ("libharfbuzz-subset.so.0", "harfbuzz-subset"),
        "libharfbuzz-subset0",
    ),
)


def load_library(names: Iterable[str]) -> tuple[str, ctypes.CDLL] | None:
    """Open the first of ``names`` that loads (a soname, or a name for ``find_library``)."""
    for name in names:
        for candidate in (name, ctypes.util.find_library(name)):
            if not candidate:
                continue
            try:
                return candidate, ctypes.CDLL(candidate)
            except OSError:
                continue
    return None


def python_finding(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Finding:
    """Check the running Python against :data:`MIN_PYTHON`."""
    shown = ".".join(map(str, version))
    need = ".".join(map(str, MIN_PYTHON))
    ok = version[:2] >= MIN_PYTHON
    detail = f"{shown} ({sys.executable})" if ok else f"{shown}; esgpress needs {need} or newer"
    return Finding("Python", ok, detail, "" if ok else "python3")


def library_finding(library: Library) -> Finding:
    """Whether ``library`` loads; for Pango, also its version against :data:`MIN_PANGO`."""
    loaded = load_library(library.names)
    if loaded is None:
        return Finding(library.label, False, "not found", library.package)
    name, handle = loaded
    if library.label != "Pango":
        return Finding(library.label, True, name)
    handle.pango_version_string.restype = ctypes.c_char_p
    shown = handle.pango_version_string().decode()
    version = tuple(int(x) for x in shown.split(".")[:2])
    if version < MIN_PANGO:
        need = ".".join(map(str, MIN_PANGO))
        return Finding(library.label, False, f"{shown} is too old; WeasyPrint needs {need}", "")
    return Finding(library.label, True, f"{shown} ({name})")


def poppler_finding() -> Finding:
    """Look for poppler's ``pdftotext``: the tests read PDFs back with it (not the build)."""
    exe = shutil.which("pdftotext")
    if exe:
        return Finding("poppler (tests only)", True, exe)
    return Finding(
        "poppler (tests only)", False, "pdftotext not found", "poppler-utils", fatal=False
    )


def diagnose(stacks: Mapping[str, str], editions: Iterable[str]) -> list[Finding]:
    """Everything the build needs beyond pip, in the order a reader fixes it."""
    found = [python_finding()]
    found += [library_finding(lib) for lib in LIBRARIES]
    found += font_findings(stacks, editions)
    found.append(poppler_finding())
    return found


def report(found: list[Finding]) -> tuple[str, bool]:
    """Word the findings; return the text and whether the report can be built."""
    lines = [str(f) for f in found]
    missing = [f for f in found if not f.ok]
    packages = " ".join(dict.fromkeys(f.package for f in missing if f.package))
    blocking = [f for f in missing if f.fatal]
    if packages:
        lines.append(f"\nto install everything missing: sudo apt-get install {packages}")
    if blocking:
        lines.append(f"{len(blocking)} missing: the report cannot be built on this machine yet.")
    else:
        lines.append("ready: this machine can build the site and the PDFs.")
    return "\n".join(lines), not blocking
