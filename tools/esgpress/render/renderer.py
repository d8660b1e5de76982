"""Render chapters: one Jinja render per edition feeds both the site and the PDF.

Chapters run in an immutable Jinja sandbox (:mod:`esgpress.render.environment`)
with no globals but the chapter functions (:mod:`esgpress.render.vocabulary`).
The zh-Hant edition converts the Simplified source *before* templating
(template syntax is protected by the converter) and then renders with
Traditional data labels.

All chapters of an edition render in report order with one shared
:class:`~esgpress.render.state.EditionState`: footnotes are numbered through
the whole edition, cross-references resolve to section titles in that
edition, and the KPIs and framework codes each section discloses are recorded
for the content index. Problems are collected per chapter and raised once.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from esgpress.core import fingerprints as cache
from esgpress.core.errors import EsgError, Problem, Problems
from esgpress.data.loader import as_loaded
from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.render.chapters import (
    FRONT_MATTER,
    Chapter,
    Section,
    read_chapter_file,
    scan_sections,
    source_dir,
)
from esgpress.render.environment import compiled, make_environment, traceback_line
from esgpress.render.markdown_html import markdown_to_html
from esgpress.render.memo import ChapterDelta, ChapterMemo, keep_chapter, kept_chapter
from esgpress.render.notes import number_notes
from esgpress.render.resources import check_chapter, source_lines
from esgpress.render.sandbox import chapter_problems
from esgpress.render.sanitize import sanitizer_findings, too_deep
from esgpress.render.state import (
    ChapterContext,
    EditionState,
    RenderedChapter,
    restore_verbatim,
)
from esgpress.render.vocabulary import REPORT_FACTS, ChapterVocabulary, chapter_functions

__all__ = [
    "FRONT_MATTER",
    "Chapter",
    "ChapterContext",
    "RenderedChapter",
    "Renderer",
    "chapter_display",
    "edition_of",
    "problems_of",
    "read_chapter_file",
    "render_source",
    "source_dir",
]

#: Memoised chapters, one per (project, edition, chapter file), kept for the
#: fingerprint of (chain, file, text); see :meth:`Renderer.render_memo`.
_CHAPTERS: cache.Remembered[ChapterMemo] = cache.Remembered()


class Renderer:
    """Renders the chapters of one edition against one data set."""

    def __init__(
        self, root: Path, dataset: Dataset, edition: str, loc: Localizer | None = None
    ) -> None:
        editions = dataset.report.editions
        if edition not in editions:
            raise EsgError(f"unknown edition '{edition}'; this project has {', '.join(editions)}")
        self.root = root
        self.dataset = dataset
        self.edition = edition
        self.loc = loc or Localizer(dataset, edition)
        self.env = make_environment()
        self.state = EditionState(edition)
        self.warnings: list[Problem] = []

    def source_text(self, chapter: Chapter) -> str:
        """Return the chapter text this edition templates (converted for the other script)."""
        return self.loc.edition_source(chapter.body, scope=chapter.display)

    def render_all(self, keys: list[str] | None = None) -> list[RenderedChapter]:
        """Render every chapter of the report in order; raise once with all problems."""
        keys = keys or list(self.dataset.report.chapters)
        problems = Problems()
        chapters = []
        for key in keys:
            try:
                chapters.append(Chapter.read(self.root, source_dir(self.edition), key))
            except EsgError as exc:  # not UTF-8, too large
                problems.extend(exc.problems)
            except FileNotFoundError:
                problems.add(
                    f"content/{source_dir(self.edition)}/{key}.md",
                    0,
                    0,
                    f"chapter '{key}' is listed in data/report.yaml but the file does not exist",
                )
        problems.raise_if_errors()
        texts = self.register_chapters(chapters, problems)
        if not cache.enabled():
            out = [self.render_chapter(c, texts[c.key], problems) for c in chapters]
        else:
            chain = self.memo_start()
            out = []
            for c in chapters:
                chapter, chain = self.render_memo(c, texts[c.key], problems, chain)
                out.append(chapter)
        problems.raise_if_errors()
        self.warnings = problems.warnings  # reported by `esgpress check` (checks/lint.py)
        return out

    # ---- per-chapter memo (the live preview re-renders the edition on every save)

    def memo_start(self) -> str:
        """Hash what every chapter of this render shares: data, sections, edition, converter."""
        sections = [tuple(vars(s).values()) for s in self.state.sections.values()]
        return cache.digest(
            (
                "chapters",
                self.edition,
                str(self.root.resolve()),
                # A data set as loaded is described by data/'s fingerprint (below), so
                # its chapters may be kept on disk; any other by this process's object.
                "as loaded" if as_loaded(self.dataset) else str(id(self.dataset)),
                cache.data_fingerprint(self.root),
                cache.resources_fingerprint(self.root),
                self.loc.glossary_fingerprint,
                repr(sections),
            )
        )

    def render_memo(
        self, chapter: Chapter, text: str, problems: Problems, chain: str
    ) -> tuple[RenderedChapter, str]:
        """Render a chapter, or replay it when its text and the state it starts from are unchanged.

        A chapter's output depends on its text, the data, the sections and the
        edition state the chapters before it left (footnote numbers, KPIs
        used, disclosures, charts); ``chain`` hashes all of those. The replay
        applies the same changes to the state as the render did. Chapters that
        reported a problem are never memoised, so every problem is reported.
        """
        key = hashlib.sha256(f"{chain}\0{chapter.display}\0{text}".encode()).hexdigest()
        scope = (str(self.root), self.edition, chapter.display)
        memo = _CHAPTERS.peek(scope, key, lambda m: m.dataset is self.dataset)
        on_disk = self.chapter_cache(chapter.key) if as_loaded(self.dataset) else None
        if memo is None and on_disk is not None:
            memo = kept_chapter(on_disk, key, self.dataset)
            if memo is not None:
                _CHAPTERS.keep(scope, key, memo)
        if memo is not None:
            memo.delta.apply(self.state, chapter.key)
            return memo.rendered, memo.next_chain
        before = ChapterDelta.mark(self.state)
        count = len(problems)
        rendered = self.render_chapter(chapter, text, problems)
        delta = ChapterDelta.since(before, self.state, chapter.key)
        # The state after this chapter: the state before it plus what it added.
        # Not its text, so an edit that adds no note or KPI keeps the chapters
        # after it memoised.
        next_chain = hashlib.sha256(
            f"{chain}\0{chapter.display}\0{delta.digest()}".encode()
        ).hexdigest()
        if len(problems) == count:
            memo = ChapterMemo(rendered, delta, next_chain, self.dataset)
            _CHAPTERS.keep(scope, key, memo)
            if on_disk is not None:
                keep_chapter(on_disk, key, memo)
        return rendered, next_chain

    def chapter_cache(self, chapter: str) -> Path | None:
        """Where a chapter's render is kept between runs (``build/cache/chapters/``)."""
        return cache.cache_path(self.root, "chapters", self.edition, chapter)

    def register_chapters(self, chapters: list[Chapter], problems: Problems) -> dict[str, str]:
        """Convert each chapter's source for this edition and register its sections.

        Sections of every chapter are known before any chapter renders, so a
        cross-reference may point forward. Returns the texts to template, by key.
        """
        texts = {c.key: self.source_text(c) for c in chapters}
        for c in chapters:
            self._register_sections(c, texts[c.key], problems)
        return texts

    def _heading_title(self, chapter: Chapter, section: Section, problems: Problems) -> str:
        """Render a heading's title as readers see it, with report facts filled in.

        A title may say ``{{ report_year() }}年亮点``; cross-references, the
        table of contents and the content index need the printed text, and
        they are built before the chapter renders, so titles are rendered
        here on their own, with the report facts only; note calls are dropped.
        """
        if "{{" not in section.title and "{%" not in section.title:
            return section.title
        vocabulary = ChapterVocabulary(self, ChapterContext(chapter, self.state, problems))
        facts = {
            **{name: getattr(vocabulary, name) for name in REPORT_FACTS},
            # A note call or a disclosure in a heading stays in the chapter
            # body; the title cross-references and the TOC print goes without.
            "footnote": lambda *_: "",
            "disclosure": lambda *_: "",
        }
        try:
            return self.env.from_string(section.title, globals=facts).render().strip()
        except (TemplateError, SecurityError) as exc:
            problems.add(
                chapter.display,
                section.line,
                0,
                f"heading '{section.key}': {getattr(exc, 'message', None) or exc}; a heading "
                "can use only report_year(), company(), report_title(), footnote() "
                "and disclosure()",
            )
            return section.title

    def _register_sections(self, chapter: Chapter, text: str, problems: Problems) -> None:
        for s in scan_sections(chapter, text):
            s.title = self._heading_title(chapter, s, problems)
            if s.key in self.state.sections:
                first = self.state.sections[s.key]
                problems.add(
                    chapter.display,
                    s.line,
                    0,
                    f"section key '{s.key}' is already used in "
                    f"content/{source_dir(self.edition)}/{first.chapter}.md:{first.line}",
                )
            else:
                self.state.sections[s.key] = s

    def _note_html(self, key: str) -> str:
        return html.escape(self.loc.text(self.dataset.footnotes[key].text))

    def render_chapter(self, chapter: Chapter, text: str, problems: Problems) -> RenderedChapter:
        """Render one chapter; problems are added to ``problems``."""
        ctx = ChapterContext(chapter, self.state, problems)
        self.state.kpis_used.setdefault(chapter.key, set())
        self.state.chapter_notes.setdefault(chapter.key, [])
        functions = chapter_functions(ChapterVocabulary(self, ctx))
        try:
            refused = chapter_problems(self.env, text, functions)
            for line, message in refused:
                problems.add(chapter.display, line, 0, message)
            if refused:
                markdown = ""
            else:
                code = compiled(self.env, text)
                template = self.env.template_class.from_code(
                    self.env, code, self.env.make_globals(functions), None
                )
                markdown = template.render()
        except TemplateSyntaxError as exc:
            problems.add(chapter.display, exc.lineno or 0, 0, f"template syntax: {exc.message}")
            markdown = ""
        except SecurityError as exc:
            line = traceback_line(exc.__traceback__)
            problems.add(chapter.display, line, 0, f"not allowed in a chapter: {exc}")
            markdown = ""
        except UndefinedError as exc:
            problems.add(
                chapter.display,
                traceback_line(exc.__traceback__),
                0,
                f"{exc.message}; chapters can use only the documented functions "
                "(docs/writing-chapters.md)",
            )
            markdown = ""
        except TemplateError as exc:
            line = traceback_line(exc.__traceback__)
            problems.add(chapter.display, line, 0, f"template error: {exc}")
            markdown = ""
        except (TypeError, ValueError, ArithmeticError) as exc:
            line = traceback_line(exc.__traceback__)
            problems.add(chapter.display, line, 0, f"cannot render: {exc}")
            markdown = ""
        except RecursionError:
            problems.add(chapter.display, 0, 0, "the chapter's template is nested too deeply")
            markdown = ""
        if markdown:
            markdown = number_notes(markdown, self.state, chapter.key, self._note_html)
            lines = source_lines(text, markdown)
            refused_refs = check_chapter(markdown, self.root, source_dir(self.edition))
            for found in refused_refs:
                problems.add(chapter.display, lines[found.line - 1], 0, found.message)
            html = "" if refused_refs else markdown_to_html(markdown)
            deep = too_deep(markdown, html) if html else None
            if deep:  # WeasyPrint would end in a RecursionError
                problems.add(chapter.display, lines[deep[0] - 1], 0, deep[1])
            for line, message in [] if refused_refs or deep else sanitizer_findings(markdown, html):
                problems.add(chapter.display, lines[line - 1], 0, message, "warning", "sanitized")
        markdown = append_notes(markdown, self.state, chapter.key, self.loc)
        markdown = self.loc.style.apply(markdown)  # the house style, in one place
        markdown = restore_verbatim(self.state, markdown)  # an assurer's text, untouched
        title = next(
            (
                s.title
                for s in self.state.sections.values()
                if s.chapter == chapter.key and s.level == 1
            ),
            chapter.key,
        )
        return RenderedChapter(chapter.key, title, markdown, chapter.display)


def append_notes(markdown: str, state: EditionState, chapter: str, loc: Localizer) -> str:
    """Append the chapter's notes, numbered through the edition, as an end-of-page list."""
    numbers = state.chapter_notes.get(chapter, [])
    if not numbers:
        return markdown
    by_number = {n.number: n for n in state.notes.values()}
    items = [
        f'<li id="fn-{n}" value="{n}" data-note="{by_number[n].key}">{by_number[n].html}</li>'
        for n in numbers
    ]
    return (
        markdown.rstrip("\n") + "\n\n"
        f'<section class="footnotes" aria-label="{loc.ui("notes")}">\n<ol>\n'
        + "\n".join(items)
        + "\n</ol>\n</section>\n"
    )


def render_source(
    root: Path,
    dataset: Dataset,
    edition: str,
    source: str,
    display: str = "<stdin>",
    in_context: bool = False,
) -> str:
    """Render a single template text (``esgpress render -``) in the context of the whole report.

    Every section of the report is known, so cross-references resolve. With
    ``in_context`` the chapters before this one (all of them for a snippet)
    are rendered first, so notes carry their numbers in the edition and the
    content index lists what those chapters disclose, as in the build.
    """
    renderer = Renderer(root, dataset, edition)
    problems = Problems()
    chapters = []
    for key in dataset.report.chapters:
        try:
            chapters.append(Chapter.read(root, source_dir(edition), key))
        except (FileNotFoundError, EsgError):  # `esgpress check` reports those chapters
            continue
    texts = renderer.register_chapters(chapters, problems)
    key = Path(display).stem if display != "<stdin>" else "stdin"
    if in_context:
        before = Problems()  # the other chapters' own mistakes are `esgpress check`'s business
        for c in chapters:
            if c.key == key and c.display == display:
                break
            renderer.render_chapter(c, texts[c.key], before)
    body = FRONT_MATTER.sub(lambda m: "\n" * m.group(0).count("\n"), source.replace("\r\n", "\n"))
    chapter = Chapter(key, Path(display), display, source, body, "")
    text = renderer.loc.edition_source(body)
    out = renderer.render_chapter(chapter, text, problems)
    problems.raise_if_errors()
    return out.markdown


def chapter_display(root: Path, path: Path, given: str) -> str:
    """Name a chapter file as problems do: from the project root when inside it, else as given."""
    return str(path.resolve().relative_to(root)) if path.resolve().is_relative_to(root) else given


def edition_of(display: str) -> str:
    """Return the edition a chapter renders in by default: en under content/en/, else zh-Hans."""
    return "en" if "/en/" in f"/{display}" else "zh-Hans"


def problems_of(exc: EsgError) -> list[Problem]:
    """Return the problems carried by an error (for callers that merge runs)."""
    return list(exc.problems)
