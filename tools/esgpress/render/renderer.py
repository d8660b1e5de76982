"""Render chapters: one Jinja render per edition feeds both the site and the PDF.

Chapters run in an immutable Jinja sandbox with ``StrictUndefined`` and no
globals but the documented functions (:mod:`esgpress.render.functions`), so a
chapter cannot reach Python internals and a typo fails loudly. The zh-Hant
edition converts the Simplified source *before* templating (template syntax is
protected by the converter) and then renders with Traditional data labels.

All chapters of an edition render in report order with one shared
:class:`EditionState`: footnotes are numbered through the whole edition,
cross-references resolve to section titles in that edition, and the KPIs and
framework codes each section discloses are recorded for the content index.
Problems are collected per chapter and raised once.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, TracebackType

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from esgpress.core import fingerprints as cache
from esgpress.core.errors import EsgError, Problem, Problems
from esgpress.data.model import EDITIONS, Dataset
from esgpress.data.yamlio import read_text
from esgpress.editions.i18n import Localizer
from esgpress.render.resources import check_chapter, source_lines
from esgpress.render.sandbox import chapter_problems

FRONT_MATTER = re.compile(r"\A---\n(.*?\n)?---\n", re.S)

#: Largest chapter file accepted. A long real chapter is about 40 kB; a
#: megabyte-sized one is a paste gone wrong (an embedded image, a whole
#: document), and would only make every render slow.
MAX_CHAPTER_BYTES = 2_000_000
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*\{#([A-Za-z0-9_.\-]+)\}\s*$", re.M)


def source_dir(edition: str) -> str:
    """Return the content folder a chapter of ``edition`` is written in."""
    return "en" if edition == "en" else "zh"


@dataclass
class Section:
    """A heading with a stable key, as found in a chapter source."""

    key: str
    title: str
    level: int
    chapter: str
    line: int


def read_chapter_file(path: Path, display: str) -> str:
    """Read a chapter file as the build does: UTF-8 (else a located error), size limit, LF.

    A BOM and Windows line ends are accepted; raises :class:`EsgError`
    (a missing file included) with the file, line and column.
    """
    problems = Problems()
    text = read_text(path, display, problems, MAX_CHAPTER_BYTES, "chapter files")
    if text is None:
        raise EsgError(problems)
    return text


@dataclass
class Chapter:
    """A chapter source file of one language."""

    key: str
    path: Path
    display: str
    text: str
    body: str
    front: str

    @classmethod
    def read(cls, root: Path, lang_dir: str, key: str) -> Chapter:
        """Read ``content/<lang_dir>/<key>.md``; front matter becomes blank lines.

        Raises :class:`FileNotFoundError` for a missing file (callers word
        that themselves) and :class:`EsgError` for a file that is not UTF-8
        (a Chinese chapter saved as GBK or Big5, with the line and column of
        the first bad byte) or over :data:`MAX_CHAPTER_BYTES`. A BOM and
        Windows line ends are accepted.
        """
        path = root / "content" / lang_dir / f"{key}.md"
        display = f"content/{lang_dir}/{key}.md"
        if not path.is_file():
            raise FileNotFoundError(path)
        text = read_chapter_file(path, display)
        match = FRONT_MATTER.match(text)
        front = match.group(1) or "" if match else ""
        body = text
        if match:
            body = "\n" * match.group(0).count("\n") + text[match.end() :]
        return cls(key, path, display, text, body, front)


@dataclass
class Note:
    """A footnote as numbered in one edition."""

    number: int
    key: str
    html: str
    chapter: str


@dataclass
class EditionState:
    """What one edition's render shares across its chapters."""

    edition: str
    sections: dict[str, Section] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    chapter_notes: dict[str, list[int]] = field(default_factory=dict)
    disclosures: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # fw, code, chapter, section
    kpis_used: dict[str, set[str]] = field(default_factory=dict)
    charts: list[dict[str, object]] = field(default_factory=list)


@dataclass
class RenderedChapter:
    """One chapter's rendered Markdown and what it used."""

    key: str
    title: str
    markdown: str
    source: str


class ChapterContext:
    """Per-chapter state the template functions need: file, current section, problems."""

    def __init__(self, chapter: Chapter, state: EditionState, problems: Problems) -> None:
        self.chapter = chapter
        self.state = state
        self.problems = problems
        self.section = chapter.key
        # Set while a template text from the data renders (a target's progress
        # text): its problems belong to the data file's line, and the figures it
        # cites to the chapter section that printed it.
        self.data_origin: tuple[str, int, str] | None = None

    def error(self, message: str) -> str:
        """Record a problem at the template line now executing; return a visible marker."""
        if self.data_origin is not None:
            path, line, _ = self.data_origin
            self.problems.add(path, line, 0, message)
        else:
            self.problems.add(self.chapter.display, template_line(), 0, message)
        return "⟦?⟧"


def template_line() -> int:
    """Return the chapter line of the innermost template frame on the stack (0 if none)."""
    frame = sys._getframe(1)
    while frame is not None:
        tmpl = frame.f_globals.get("__jinja_template__")
        if tmpl is not None:
            return int(tmpl.get_corresponding_lineno(frame.f_lineno))
        frame = frame.f_back  # type: ignore[assignment]
    return 0


def make_environment() -> ImmutableSandboxedEnvironment:
    """Make the sandbox chapters run in: no globals but ours, strict undefined, escaping on."""
    env = ImmutableSandboxedEnvironment(
        # Heading anchors are written {#key} (attr_list), which is Jinja's comment
        # syntax; chapter comments are {## … ##} instead.
        comment_start_string="{##",
        comment_end_string="##}",
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.globals.clear()  # only the documented functions exist in a chapter
    return env


@dataclass(frozen=True)
class _Delta:
    """What rendering one chapter added to the edition state."""

    notes: tuple[Note, ...]
    chapter_notes: tuple[int, ...]
    disclosures: tuple[tuple[str, str, str, str], ...]
    kpis_used: frozenset[str]
    charts: tuple[dict[str, object], ...]

    @staticmethod
    def mark(state: EditionState) -> tuple[int, int, int]:
        """Sizes of the growing parts of the state before a chapter renders."""
        return len(state.notes), len(state.disclosures), len(state.charts)

    @classmethod
    def since(cls, mark: tuple[int, int, int], state: EditionState, chapter: str) -> _Delta:
        """Collect the additions of the chapter just rendered."""
        notes, disclosures, charts = mark
        return cls(
            tuple(copy.copy(n) for n in list(state.notes.values())[notes:]),
            tuple(state.chapter_notes.get(chapter, [])),
            tuple(state.disclosures[disclosures:]),
            frozenset(state.kpis_used.get(chapter, set())),
            tuple(copy.deepcopy(state.charts[charts:])),
        )

    def apply(self, state: EditionState, chapter: str) -> None:
        """Make the same additions again (a memoised chapter)."""
        for note in self.notes:
            state.notes[note.key] = copy.copy(note)
        state.chapter_notes[chapter] = list(self.chapter_notes)
        state.disclosures.extend(self.disclosures)
        state.kpis_used[chapter] = set(self.kpis_used)
        state.charts.extend(copy.deepcopy(list(self.charts)))

    def digest(self) -> str:
        """Hash the additions stably (sets sorted)."""
        parts = (
            [tuple(vars(n).values()) for n in self.notes],
            self.chapter_notes,
            self.disclosures,
            sorted(self.kpis_used),
            json.dumps(self.charts, sort_keys=True, default=str),
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class _Memo:
    rendered: RenderedChapter
    delta: _Delta
    next_chain: str
    dataset: Dataset


#: Memoised chapters by (chain, file, text); see :meth:`Renderer._render_memo`.
_CHAPTERS: dict[str, _Memo] = {}
CHAPTER_MEMO_LIMIT = 2048


def scan_sections(chapter: Chapter, text: str) -> list[Section]:
    """Headings with ``{#key}`` in a chapter source, for cross-references and the TOC."""
    out = []
    for m in HEADING.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out.append(Section(m.group(3), m.group(2).strip(), len(m.group(1)), chapter.key, line))
    return out


class Renderer:
    """Renders the chapters of one edition against one data set."""

    def __init__(
        self, root: Path, dataset: Dataset, edition: str, loc: Localizer | None = None
    ) -> None:
        if edition not in EDITIONS:
            raise EsgError(f"unknown edition '{edition}'; choose one of {', '.join(EDITIONS)}")
        self.root = root
        self.dataset = dataset
        self.edition = edition
        self.loc = loc or Localizer(dataset, edition, root=root)
        self.env = make_environment()
        self.state = EditionState(edition)

    def source_text(self, chapter: Chapter) -> str:
        """Return the chapter text this edition templates (converted for zh-Hant)."""
        if self.edition == "zh-Hant":
            return self.loc.hant_source(chapter.body)
        return chapter.body

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
            chain = self._memo_start()
            out = []
            for c in chapters:
                chapter, chain = self._render_memo(c, texts[c.key], problems, chain)
                out.append(chapter)
        problems.raise_if_errors()
        return out

    # ---- per-chapter memo (the live preview re-renders the edition on every save)

    def _memo_start(self) -> str:
        """Hash what every chapter of this render shares: data, sections, edition, converter."""
        if self.edition == "zh-Hant":
            _ = self.loc.converter  # built now, so its glossary key is known
        sections = [tuple(vars(s).values()) for s in self.state.sections.values()]
        return cache.digest(
            (
                "chapters",
                self.edition,
                str(self.root.resolve()),
                str(id(self.dataset)),
                cache.data_fingerprint(self.root),
                str(getattr(self.loc, "_glossary_key", None)),
                repr(sections),
            )
        )

    def _render_memo(
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
        memo = _CHAPTERS.get(key)
        if memo is not None and memo.dataset is self.dataset:
            memo.delta.apply(self.state, chapter.key)
            return memo.rendered, memo.next_chain
        before = _Delta.mark(self.state)
        count = len(problems)
        rendered = self.render_chapter(chapter, text, problems)
        delta = _Delta.since(before, self.state, chapter.key)
        # The state after this chapter: the state before it plus what it added.
        # Not its text, so an edit that adds no note or KPI keeps the chapters
        # after it memoised.
        next_chain = hashlib.sha256(
            f"{chain}\0{chapter.display}\0{delta.digest()}".encode()
        ).hexdigest()
        if len(problems) == count:
            if len(_CHAPTERS) >= CHAPTER_MEMO_LIMIT:
                _CHAPTERS.clear()
            _CHAPTERS[key] = _Memo(rendered, delta, next_chain, self.dataset)
        return rendered, next_chain

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
        from esgpress.render.functions import report_facts

        facts = {
            **report_facts(self.dataset, self.loc),
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

    def render_chapter(self, chapter: Chapter, text: str, problems: Problems) -> RenderedChapter:
        """Render one chapter; problems are added to ``problems``."""
        from esgpress.render.functions import chapter_globals

        ctx = ChapterContext(chapter, self.state, problems)
        self.state.kpis_used.setdefault(chapter.key, set())
        self.state.chapter_notes.setdefault(chapter.key, [])
        functions = chapter_globals(self, ctx)
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
            line = _tb_line(exc.__traceback__)
            problems.add(chapter.display, line, 0, f"not allowed in a chapter: {exc}")
            markdown = ""
        except UndefinedError as exc:
            problems.add(
                chapter.display,
                _tb_line(exc.__traceback__),
                0,
                f"{exc.message}; chapters can use only the documented functions "
                "(docs/writing-chapters.md)",
            )
            markdown = ""
        except TemplateError as exc:
            problems.add(chapter.display, _tb_line(exc.__traceback__), 0, f"template error: {exc}")
            markdown = ""
        except (TypeError, ValueError, ArithmeticError) as exc:
            problems.add(chapter.display, _tb_line(exc.__traceback__), 0, f"cannot render: {exc}")
            markdown = ""
        except RecursionError:
            problems.add(chapter.display, 0, 0, "the chapter's template is nested too deeply")
            markdown = ""
        if markdown:
            lines = source_lines(text, markdown)
            for found in check_chapter(markdown, self.root, source_dir(self.edition)):
                problems.add(chapter.display, lines[found.line - 1], 0, found.message)
        markdown = _append_notes(markdown, self.state, chapter.key, self.loc)
        title = next(
            (
                s.title
                for s in self.state.sections.values()
                if s.chapter == chapter.key and s.level == 1
            ),
            chapter.key,
        )
        return RenderedChapter(chapter.key, title, markdown, chapter.display)


#: Compiled chapter templates by source text (see :func:`compiled`).
_COMPILED: dict[str, CodeType] = {}
#: How many compiled chapters a process keeps; a 10x synthetic report has about 70 per language.
COMPILED_LIMIT = 512


def compiled(env: ImmutableSandboxedEnvironment, text: str) -> CodeType:
    """Check and compile a chapter's template text, once per text and process.

    The live preview renders the whole edition on every save (footnote numbers
    and cross-references run through all chapters), so the chapters that did
    not change reuse their compiled code. Every environment from
    :func:`make_environment` has the same settings, so the code is shared.
    """
    code = _COMPILED.get(text)
    if code is None:
        code = env.compile(text)
        if len(_COMPILED) >= COMPILED_LIMIT:
            _COMPILED.clear()
        _COMPILED[text] = code
    return code


def _tb_line(tb: TracebackType | None) -> int:
    """Return the template line of the innermost template frame in a traceback."""
    line = 0
    while tb is not None:
        tmpl = tb.tb_frame.f_globals.get("__jinja_template__")
        if tmpl is not None:
            line = int(tmpl.get_corresponding_lineno(tb.tb_lineno))
        elif tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _append_notes(markdown: str, state: EditionState, chapter: str, loc: Localizer) -> str:
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
    text = renderer.loc.converter.to_hant(body) if edition == "zh-Hant" else body
    out = renderer.render_chapter(chapter, text, problems)
    problems.raise_if_errors()
    return out.markdown


def problems_of(exc: EsgError) -> list[Problem]:
    """Return the problems carried by an error (for callers that merge runs)."""
    return list(exc.problems)
