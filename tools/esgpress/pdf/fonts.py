"""Are the fonts each edition prints with installed? Asked of fontconfig, before any layout.

WeasyPrint asks Pango for a face, Pango asks fontconfig. Without a face that
covers Chinese, WeasyPrint draws every character as ``.notdef`` (a hundred
warnings and no hint of the cause); with no font at all, Pango crashes the
process (exit status 139). So the print step asks fontconfig first
(:func:`require_fonts`) and stops with one message that names the Debian
package to install. ``esgpress doctor`` shows the same findings
(:mod:`esgpress.pdf.doctor`).

fontconfig is asked through its own command-line tools (``fc-list``), so the
answer is the one Pango gets: ``FONTCONFIG_FILE`` and ``~/.fonts`` count.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from esgpress.core.errors import EsgError

#: Debian packages that provide what a check looks for.
CJK_PACKAGE = "fonts-noto-cjk"
LATIN_PACKAGE = "fonts-noto-core"
FONTCONFIG_PACKAGE = "fontconfig"

#: fontconfig language per edition (Pango shapes CJK glyphs by the same tag).
FC_LANG = {"zh-Hant": "zh-hk", "zh-Hans": "zh-cn", "en": "en"}
#: How an edition's script is named in messages.
SCRIPT_NAMES = {
    "zh-Hant": "Traditional Chinese",
    "zh-Hans": "Simplified Chinese",
    "en": "Latin text",
}
#: CSS generic families: not faces, so not looked for.
GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


@dataclass(frozen=True)
class Finding:
    """One thing ``doctor`` looked at: what, whether it is there, and how to get it if not.

    ``fatal``: the PDF cannot be built without it (a missing design face is
    not fatal when another face covers the script: the PDF builds, in
    another typeface).
    """

    what: str
    ok: bool
    detail: str
    package: str = ""
    fatal: bool = True

    def install_line(self) -> str:
        """Return the command that installs what is missing (empty when nothing is)."""
        return f"sudo apt-get install {self.package}" if self.package and not self.ok else ""

    def __str__(self) -> str:
        state = "ok" if self.ok else ("missing" if self.fatal else "warning")
        line = f"{state:8}{self.what}: {self.detail}"
        fix = self.install_line()
        return f"{line}\n{'':8}install: {fix}" if fix else line


def families(stack: str) -> list[str]:
    """Return the named faces of a CSS ``font-family`` value, without generic families."""
    names = [part.strip().strip("\"'") for part in stack.split(",")]
    return [n for n in names if n and n.lower() not in GENERIC]


def fc_families(pattern: str = ":") -> set[str] | None:
    """Family names of the faces fontconfig lists for ``pattern``; None without ``fc-list``."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    out = subprocess.run(
        [exe, pattern, "family"], capture_output=True, text=True, check=False, timeout=60
    ).stdout
    # A face with several names lists them comma-separated ("DejaVu Sans,DejaVu Sans Light").
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def fc_match(family: str, lang: str) -> str:
    """Return the family fontconfig picks for ``family`` in language ``lang`` ("" if none)."""
    exe = shutil.which("fc-match")
    if exe is None:
        return ""
    return subprocess.run(
        [exe, "--format", "%{family[0]}", f"{family}:lang={lang}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    ).stdout.strip()


def font_findings(stacks: Mapping[str, str], editions: Iterable[str]) -> list[Finding]:
    """Check each edition's faces, and that some face covers its script and Latin text."""
    installed = fc_families()
    if installed is None:
        return [
            Finding(
                "fontconfig",
                False,
                "fc-list not found: cannot tell which fonts are installed",
                FONTCONFIG_PACKAGE,
            )
        ]
    found: list[Finding] = []
    latin = fc_families(":lang=en") or set()
    if not latin:
        found.append(
            Finding(
                "Latin face",
                False,
                "no installed font covers Latin text (fontconfig lists "
                f"{len(installed)} font famil{'y' if len(installed) == 1 else 'ies'})",
                LATIN_PACKAGE,
            )
        )
    for edition in editions:
        wanted = families(stacks[edition])
        present = [f for f in wanted if f in installed]
        what = f"fonts {edition}"
        if present:
            found.append(Finding(what, True, present[0]))
            continue
        lang = FC_LANG.get(edition, "en")
        covering = sorted(fc_families(f":lang={lang}") or set()) if lang != "en" else sorted(latin)
        # The design faces are Noto CJK (their Latin glyphs serve English too).
        package = CJK_PACKAGE if any("CJK" in f for f in wanted) else LATIN_PACKAGE
        if covering:
            found.append(
                Finding(
                    what,
                    False,
                    f"{', '.join(wanted)} not installed; "
                    f"{fc_match(wanted[0], lang) or covering[0]} will print "
                    f"{SCRIPT_NAMES.get(edition, edition)} instead",
                    package,
                    fatal=False,
                )
            )
        else:
            found.append(
                Finding(
                    what,
                    False,
                    f"no installed font covers {SCRIPT_NAMES.get(edition, edition)} "
                    f"(wanted: {', '.join(wanted)}); the PDF would print empty boxes",
                    package,
                )
            )
    return found


def require_fonts(stacks: Mapping[str, str], editions: Iterable[str]) -> list[Finding]:
    """Raise :class:`EsgError` (one message) if an edition cannot be printed for want of fonts.

    Returns the findings, so the caller can pass the non-fatal ones on as
    warnings.
    """
    found = font_findings(stacks, editions)
    fatal = [f for f in found if not f.ok and f.fatal]
    if fatal:
        packages = " ".join(dict.fromkeys(f.package for f in fatal if f.package))
        lines = [f"{f.what}: {f.detail}" for f in fatal]
        raise EsgError(
            "cannot print: fonts are missing\n"
            + "\n".join(f"  {line}" for line in lines)
            + f"\ninstall them with: sudo apt-get install {packages}"
            + "\n(esgpress doctor checks everything the build needs)"
        )
    return found
