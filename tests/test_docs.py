"""The examples of docs/writing-chapters.md, rendered against the sample project.

Every ```jinja block of the page is a template; the ```text <edition> blocks
after it are its output in each edition. The test renders each example as
`esgpress render --lang <edition> -` would and compares, so the page cannot
go stale. `pytest --update-golden` rewrites the outputs (review the diff).

A block that ends with a line holding only "…" shows the start of a long
output: those lines must be the output's first lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from esgpress.core.errors import Problems
from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS, Dataset
from esgpress.render.chapters import Chapter
from esgpress.render.renderer import Renderer, render_source
from esgpress.render.state import ChapterContext
from esgpress.render.vocabulary import CHAPTER_FUNCTIONS, ChapterVocabulary, chapter_functions

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "writing-chapters.md"
FENCE = re.compile(r"^```(\w+)(?:[ \t]+(\S+))?[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
MORE = "…"


@dataclass
class Block:
    """One fenced block of the page: its kind, its edition or language, its text span."""

    kind: str
    arg: str | None
    text: str
    start: int
    end: int
    line: int


@dataclass
class Example:
    """A template (per source language) and the outputs shown for it."""

    sources: dict[str, str]
    outputs: list[Block]


def blocks(page: str) -> list[Block]:
    """The page's fenced blocks in order."""
    return [
        Block(m[1], m[2], m[3], m.start(3), m.end(3), page.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(page)
    ]


def examples(page: str) -> list[Example]:
    """Group each run of ```jinja blocks with the ```text blocks that follow it."""
    out: list[Example] = []
    current: Example | None = None
    for b in blocks(page):
        if b.kind == "jinja":
            if current is None or current.outputs:
                current = Example({}, [])
                out.append(current)
            for lang in (b.arg,) if b.arg else ("zh", "en"):
                current.sources[lang] = b.text
        elif b.kind == "text" and b.arg in EDITIONS and current is not None:
            current.outputs.append(b)
    return out


@pytest.fixture(scope="module")
def sample() -> Dataset:
    dataset, problems = load_project(ROOT)
    assert not problems.errors
    return dataset


def render(dataset: Dataset, edition: str, source: str) -> str:
    # The content index lists what the whole edition discloses: render it as built.
    in_context = "content_index(" in source
    return render_source(ROOT, dataset, edition, source, in_context=in_context).strip("\n") + "\n"


def expected_and_got(block: Block, got: str) -> tuple[str, str]:
    """Compare whole outputs, or only the first lines when the page shows a start."""
    want = block.text
    lines = want.splitlines()
    if lines and lines[-1] == MORE:
        head = got.splitlines()[: len(lines) - 1]
        return "\n".join(lines[:-1]), "\n".join(head)
    return want, got


def rewrite(page: str, dataset: Dataset) -> str:
    """The page with every example's output replaced by what the render gives now."""
    for example in reversed(examples(page)):
        for block in reversed(example.outputs):
            lang = "en" if block.arg == "en" else "zh"
            got = render(dataset, str(block.arg), example.sources[lang])
            lines = block.text.splitlines()
            if lines and lines[-1] == MORE:
                got = "\n".join(got.splitlines()[: len(lines) - 1]) + "\n" + MORE + "\n"
            page = page[: block.start] + got + page[block.end :]
    return page


COLLECTED = examples(PAGE.read_text(encoding="utf-8"))
CASES = [(i, j) for i, ex in enumerate(COLLECTED) for j in range(len(ex.outputs))]
IDS = [f"line{COLLECTED[i].outputs[j].line}-{COLLECTED[i].outputs[j].arg}" for i, j in CASES]


@pytest.fixture(scope="module")
def page(sample: Dataset, request: pytest.FixtureRequest) -> list[Example]:
    """The page's examples; with --update-golden, first rewrite their outputs."""
    if request.config.getoption("--update-golden"):
        PAGE.write_text(rewrite(PAGE.read_text(encoding="utf-8"), sample), encoding="utf-8")
    return examples(PAGE.read_text(encoding="utf-8"))


def test_page_has_examples_in_all_three_editions(page: list[Example]) -> None:
    assert len(page) >= 20
    for ex in page:
        shown = sorted(str(b.arg) for b in ex.outputs)
        assert shown == sorted(EDITIONS), f"an example shows {shown}, not the three editions"


def test_every_chapter_function_has_an_example(sample: Dataset, page: list[Example]) -> None:
    renderer = Renderer(ROOT, sample, "en")
    chapter = Chapter("x", Path("x.md"), "x.md", "", "", "")
    context = ChapterContext(chapter, renderer.state, Problems())
    names = set(chapter_functions(ChapterVocabulary(renderer, context)))
    assert names == set(CHAPTER_FUNCTIONS)
    sources = "\n".join(s for ex in page for s in ex.sources.values())
    missing = sorted(n for n in names if not re.search(rf"\b{n}\(", sources))
    assert not missing, f"docs/writing-chapters.md has no example of {missing}"


@pytest.mark.parametrize(("i", "j"), CASES, ids=IDS)
def test_example_output(i: int, j: int, page: list[Example], sample: Dataset) -> None:
    example, block = page[i], page[i].outputs[j]
    lang = "en" if block.arg == "en" else "zh"
    got = render(sample, str(block.arg), example.sources[lang])
    want, have = expected_and_got(block, got)
    assert have == want, f"docs/writing-chapters.md:{block.line} ({block.arg})"


def test_the_vocabulary_is_the_public_methods_of_one_class() -> None:
    public = {n for n in vars(ChapterVocabulary) if not n.startswith("_")}
    assert set(CHAPTER_FUNCTIONS) == public
    assert {"kpi", "kpi_table", "chart", "footnote", "report_year"} <= public
