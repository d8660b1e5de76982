"""Chapter checks: what a reviewer of three editions checks by hand.

- every edition renders (unknown KPIs, footnotes, sections → file:line);
- no KPI-like number typed in chapter prose (thousands separators or
  decimals), with an allow-list for codes such as ``ISO 14064`` or
  ``GB 31241-2022`` (``<!-- esgpress: allow 1.18 -->`` or data/report.yaml);
- no Simplified-only characters in the zh-Hant output (or Traditional-only in
  zh-Hans), reported at the source line;
- edition parity: the same chapters in content/zh and content/en, and each
  pair cites the same set of KPIs;
- translation freshness: an English chapter records the hash of the Chinese
  source it was checked against (``source_hash`` in its front matter).

The checks never write: the renders they make are handed back to the caller
(:class:`esgpress.render.write.FinishedRender`), which writes them for the
build steps that follow.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from typing import Literal

from esgpress.core.errors import EsgError, Problem, Problems
from esgpress.core.fingerprints import render_fingerprint
from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.render.renderer import (
    Chapter,
    RenderedChapter,
    Renderer,
    source_dir,
)
from esgpress.render.write import FinishedRender

Script = Literal["zh-Hant", "zh-Hans"]
#: The Chinese editions, each checked for characters of the other script.
CHINESE_EDITIONS: dict[str, Script] = {"zh-Hant": "zh-Hant", "zh-Hans": "zh-Hans"}

#: A typed figure: grouped thousands (1,234) or a decimal (12.5), not part of a word or code.
TYPED_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.\-/#])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![A-Za-z0-9_\-/])"
)
#: Full-width digits, comma and point (a Chinese input method's number mode)
#: read as their ASCII forms, one character for one, so columns stay right.
FULLWIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")
#: Spans where numbers are not prose: template calls, code, links, HTML tags, comments.
SKIP_SPANS = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}|\{#[\w.\-]+\}|`[^`]*`|\]\([^)]*\)|<[^>]+>|<!--.*?-->", re.S
)
ALLOW = re.compile(r"<!--\s*esgpress:\s*allow\s+(.+?)\s*-->")
#: Standards and codes whose numbers are names, not figures.
CODE_CONTEXT = re.compile(
    r"(ISO|IEC|GB|GB/T|AA1000\w*|ISAE|IFRS|GRI|SASB|HKEX|SDG|OHSAS|UL|EN|IEEE|v)\s?$", re.I
)


def source_hash(text: str) -> str:
    """Hash a Chinese chapter source, short and stable across line endings.

    An English chapter records this as ``source_hash`` when it is reviewed, so
    a later change to the Chinese source marks the translation as stale.
    """
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:16]


def typed_numbers(chapter: Chapter) -> list[Problem]:
    """Figures typed directly in chapter text (they should come from kpi())."""
    text = chapter.body
    # "allow 38,000, 1.18": a comma inside a figure is grouping, one before a space separates
    allowed = {a for m in ALLOW.finditer(text) for a in re.split(r",?\s+", m.group(1)) if a}
    masked = SKIP_SPANS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    out = []
    for m in TYPED_NUMBER.finditer(masked.translate(FULLWIDTH)):
        typed = text[m.start(1) : m.end(1)]  # as written, full-width or not
        if typed in allowed or CODE_CONTEXT.search(masked[max(0, m.start() - 12) : m.start()]):
            continue
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        out.append(
            Problem(
                chapter.display,
                line,
                col,
                f"typed figure '{typed}': use kpi(\"…\") so the number comes from the data "
                f"(or allow it with <!-- esgpress: allow {typed} -->)",
                "warning",
                "typed-number",
            )
        )
    return out


def check_content(
    root: Path, dataset: Dataset, renders: dict[str, FinishedRender] | None = None
) -> list[Problem]:
    """Render every edition and run the chapter lints; never raises for user mistakes.

    Given a ``renders`` dict, each edition that renders cleanly is put there with
    its fingerprint, so the caller can write it (``esgpress build-all`` does,
    :func:`esgpress.render.write.write_renders`) for the PDF and site steps to
    reuse instead of rendering again. Nothing is written here.
    """
    problems = Problems()
    chapters = list(dataset.report.chapters)
    langs = source_langs(dataset)
    for lang in langs:
        for key in chapters:
            path = root / "content" / lang / f"{key}.md"
            if not path.is_file():
                problems.add(
                    f"content/{lang}/{key}.md",
                    0,
                    0,
                    f"chapter '{key}' is listed in data/report.yaml "
                    f"but content/{lang}/{key}.md does not exist",
                )
        folder = root / "content" / lang
        for extra in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if extra.stem not in chapters and extra.stem != "summary":  # docs/summary.md
                problems.add(
                    f"content/{lang}/{extra.name}",
                    0,
                    0,
                    "chapter file is not listed in data/report.yaml chapters, "
                    "so no edition includes it",
                    "warning",
                )
    if problems.errors:
        return list(problems)

    used: dict[str, dict[str, set[str]]] = {}
    for edition in dataset.report.editions:
        renderer = Renderer(root, dataset, edition, Localizer(dataset, edition))
        fingerprint = render_fingerprint(root, edition) if renders is not None else ""
        try:
            rendered = renderer.render_all()
        except EsgError as exc:
            # zh-Hant renders the same source as zh-Hans: report its problems once.
            seen = {str(p) for p in problems}
            problems.extend(p for p in exc.problems if str(p) not in seen)
            continue
        used[edition] = renderer.state.kpis_used
        # What the sanitiser would drop is published cleaned, but check refuses it:
        # the writer meant something the report cannot show.
        seen = {str(p) for p in problems}
        for p in renderer.warnings:
            if p.code == "sanitized":
                p = dataclasses.replace(p, severity="error")
            if str(p) not in seen:
                problems.extend([p])
                seen.add(str(p))
        if renders is not None:
            renders[edition] = FinishedRender(renderer, rendered, fingerprint)
        script = CHINESE_EDITIONS.get(edition)
        if script is not None:
            problems.extend(_leaks(root, rendered, renderer, script))
        problems.extend(_house_style(root, rendered, renderer))
    for lang in langs:
        for key in chapters:
            chapter = _readable(root, lang, key)
            if chapter is not None:
                problems.extend(typed_numbers(chapter))
    chinese = next((e for e in dataset.report.editions if e in used and e != "en"), None)
    if chinese is not None and "en" in used:
        problems.extend(_parity(chapters, used[chinese], used["en"]))
    problems.extend(_freshness(root, chapters))
    return list(problems)


def _leaks(
    root: Path, rendered: list[RenderedChapter], renderer: Renderer, target: Script
) -> list[Problem]:
    from esgpress.checks.readings import reading_problems
    from esgpress.editions.leaks import converter_leaks

    out = []
    as_written = target == renderer.loc.source_edition
    for ch in rendered:
        chapter = Chapter.read(root, source_dir(target), ch.key)
        text = renderer.source_text(chapter)
        # The edition's own converter (word by word): the whole-text one would
        # flag the word reading's fixes (上游 in 上游|冶炼) as leaks.
        for leak in converter_leaks(renderer.loc.converter, text, target):
            wrong = "Simplified" if target == "zh-Hant" else "Traditional"
            if as_written:  # typed in the source, printed as typed
                source = "Traditional" if target == "zh-Hant" else "Simplified"
                message = (
                    f"{wrong} character '{leak.char}' in the {source} source "
                    f"(should be '{leak.suggestion}'; the {target} edition prints it as typed)"
                )
            else:  # the converter kept a character of the source's script
                message = (
                    f"{wrong} character '{leak.char}' in the {target} edition "
                    f"(should be '{leak.suggestion}'; add the phrase to data/glossary.yaml)"
                )
            out.append(
                Problem(chapter.display, leak.line, leak.col, message, "warning", "script-leak")
            )
        if target == "zh-Hant":
            out.extend(reading_problems(renderer, chapter.display, chapter.body))
    return out


def _house_style(root: Path, rendered: list[RenderedChapter], renderer: Renderer) -> list[Problem]:
    """Hand-typed figure–unit spacing, and a figure written two ways, in one edition."""
    from esgpress.checks.figures import figure_forms
    from esgpress.checks.style import spacing_problems, terminology

    edition, style = renderer.edition, renderer.loc.style
    out: list[Problem] = []
    sources = {}
    for ch in rendered:
        chapter = Chapter.read(root, source_dir(edition), ch.key)
        sources[chapter.display] = renderer.source_text(chapter)
        if edition != "zh-Hant":  # zh-Hant is generated: the renderer applies its rule
            out.extend(spacing_problems(chapter, style, edition))
    texts = [(ch.source, ch.markdown) for ch in rendered]
    for problem in figure_forms(texts, style.units, edition, style.terms):
        out.append(_at_source(problem, sources.get(problem.path, "")))
    if edition == "en":
        glossary = renderer.dataset.glossary
        for display, source in sources.items():
            out.extend(terminology(display, source, glossary))
        typed = {(p.path, p.message) for p in out if p.code == "terminology"}
        for ch in rendered:  # what the data's English texts bring in
            for problem in terminology(ch.source, ch.markdown, glossary, figures_too=False):
                if (problem.path, problem.message) not in typed:
                    out.append(_at_source(problem, ""))
    return out


def _at_source(problem: Problem, source: str) -> Problem:
    """Point a problem found in rendered text at the source line that wrote it, if one did."""
    written = re.search(r"'([^']+)'", problem.message)
    # the source may space a figure and unit otherwise than the edition prints them
    loose = (
        "[ \u2009\u202f]?".join(map(re.escape, written.group(1).replace(" ", "")))
        if written
        else ""
    )
    found = re.search(loose, source) if loose else None
    offset = found.start() if found else -1
    if offset < 0:
        return Problem(
            problem.path,
            0,
            0,
            problem.message + " (printed from the data)",
            problem.severity,
            problem.code,
        )
    line = source.count("\n", 0, offset) + 1
    col = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return Problem(problem.path, line, col, problem.message, problem.severity, problem.code)


def source_langs(dataset: Dataset) -> tuple[str, ...]:
    """Return the ``content/`` folders the editions are written from (``zh``, ``en``)."""
    editions = dataset.report.editions
    return tuple(
        lang
        for lang, needed in (("zh", dataset.report.has_chinese), ("en", "en" in editions))
        if needed
    )


def _parity(chapters: list[str], zh: dict[str, set[str]], en: dict[str, set[str]]) -> list[Problem]:
    out = []
    for key in chapters:
        a, b = zh.get(key, set()), en.get(key, set())
        for kpi in sorted(a - b):
            out.append(
                Problem(
                    f"content/en/{key}.md",
                    0,
                    0,
                    f"cites no '{kpi}', which content/zh/{key}.md cites: "
                    "the editions would state different facts",
                    "warning",
                    "parity",
                )
            )
        for kpi in sorted(b - a):
            out.append(
                Problem(
                    f"content/zh/{key}.md",
                    0,
                    0,
                    f"cites no '{kpi}', which content/en/{key}.md cites: "
                    "the editions would state different facts",
                    "warning",
                    "parity",
                )
            )
    return out


def front_value(front: str, key: str) -> str | None:
    """Return the value of a ``key: value`` line in front matter, or ``None`` if absent."""
    m = re.search(rf"^{re.escape(key)}:\s*(\S+)\s*$", front, re.M)
    return m.group(1) if m else None


def _readable(root: Path, lang: str, key: str) -> Chapter | None:
    """Read a chapter; None when it cannot be read (the render reports why)."""
    try:
        return Chapter.read(root, lang, key)
    except (FileNotFoundError, EsgError):
        return None


def _freshness(root: Path, chapters: list[str]) -> list[Problem]:
    out = []
    for key in chapters:
        en, zh = _readable(root, "en", key), _readable(root, "zh", key)
        if en is None or zh is None:
            continue
        recorded = front_value(en.front, "source_hash")
        if recorded is None:
            continue
        if recorded != source_hash(zh.text):
            out.append(
                Problem(
                    en.display,
                    1,
                    1,
                    f"stale translation: content/zh/{key}.md changed "
                    "since this chapter was reviewed; "
                    f"see `esgpress diff-source {en.display}`, "
                    f"then `esgpress mark-reviewed {en.display}`",
                    "warning",
                    "stale",
                )
            )
    return out
