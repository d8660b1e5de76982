"""Issue 20's "Done when", on the sample's real outputs: build/render and the PDF text.

The sample is rendered and printed once (three editions) in a temporary copy;
each test scans what a reader gets:

- every figure–unit pair follows the edition's spacing rule;
- no figure is written in words and in digits (or with and without a scale
  word) in one edition;
- zh-Hans scales with 亿/万, never 百万;
- generated quotes follow the edition's marks;
- the English terminology check is clean.

The PDF text is read from ``pdftotext -bbox-layout``: superscript footnote
markers are left out (时长¹⁴分别为 is not the figure 14 分) and a word broken
across lines keeps its hyphen, so the scan sees what the page prints.
"""

from __future__ import annotations

import html
import re
import statistics
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from esgpress.checks.figures import figure_forms
from esgpress.checks.style import terminology
from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS, Dataset
from esgpress.editions.house import Style
from esgpress.editions.i18n import Localizer

pytestmark = pytest.mark.slow

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass
class Outputs:
    root: Path
    dataset: Dataset

    def render(self, edition: str) -> list[tuple[str, str]]:
        folder = self.root / "build" / "render" / edition
        return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.md"))]

    def pdf_text(self, edition: str) -> str:
        (pdf,) = (self.root / "dist").glob(f"*-{edition}.pdf")
        return pdf_text(pdf)

    def style(self, edition: str) -> Style:
        return Localizer(self.dataset, edition).style


def pdf_text(pdf: Path) -> str:
    """Return the PDF text line by line, without superscripts, spaced where the page has a gap."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = []
    for line in re.findall(r"<line[^>]*>(.*?)</line>", layout, re.S):
        words = [
            (float(x0), float(y0), float(x1), float(y1), html.unescape(text))
            for x0, y0, x1, y1, text in WORD.findall(line)
        ]
        if not words:
            continue
        height = statistics.median(y1 - y0 for _, y0, _, y1, _ in words)
        out, right = "", None
        for x0, y0, x1, y1, text in words:
            if y1 - y0 < 0.7 * height and text.isdigit():
                continue  # a footnote marker, set small and raised
            gap = right is not None and x0 - right > 1.0
            out += (" " if gap else "") + text
            right = x1
        lines.append(out)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def outputs(sample_pdfs: tuple[Path, dict[str, Path]]) -> Outputs:
    """The sample, rendered and printed in all three editions (the session's build)."""
    root, _pdfs = sample_pdfs
    dataset, _ = load_project(root)
    return Outputs(root, dataset)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_figure_unit_pair_in_render_and_pdf_follows_the_editions_rule(
    outputs: Outputs, edition: str
) -> None:
    style = outputs.style(edition)
    assert style.pair is not None
    rendered = "\n".join(text for _, text in outputs.render(edition))
    printed = outputs.pdf_text(edition)
    for text in (rendered, printed):
        assert len(style.pair.findall(text)) > 80  # the rule is exercised (en PDF: 87 pairs)
        assert list(style.breaks(text)) == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_figure_is_written_two_ways_in_one_edition(outputs: Outputs, edition: str) -> None:
    style = outputs.style(edition)
    rendered = outputs.render(edition)
    printed = [("pdf", outputs.pdf_text(edition))]
    for texts in (rendered, printed):
        assert [str(p) for p in figure_forms(texts, style.units, edition, style.terms)] == []


def test_a_figure_written_two_ways_would_be_seen_in_the_pdf_text(outputs: Outputs) -> None:
    """The scan above can fail: a PDF figure written again with a scale word is reported."""
    style = outputs.style("zh-Hans")
    printed = outputs.pdf_text("zh-Hans")
    match = re.search(r"(?<![\d.,])(\d{2,3}),(\d{3}) 吨", printed)
    assert match is not None
    again = Decimal(match.group(1) + match.group(2)) / 10_000
    found = figure_forms(
        [("pdf", printed + f"\n回收{again.normalize()} 万吨")], style.units, "zh-Hans"
    )
    assert [p.message.split("'")[1:4] for p in found] == [
        [f"{again.normalize()} 万吨", " is the figure written ", match.group(0).replace(" ", "")]
    ]


def test_zh_hans_scales_with_yi_and_wan_in_render_and_pdf(outputs: Outputs) -> None:
    rendered = "\n".join(text for _, text in outputs.render("zh-Hans"))
    printed = outputs.pdf_text("zh-Hans")
    for text in (rendered, printed):
        assert re.search(r"\d 亿", text) and re.search(r"\d 万", text)
        assert not re.search(r"\d[ \u202f]?百万(?!元人民)", text)
    assert "7.023 亿" in printed


@pytest.mark.parametrize("edition", EDITIONS)
def test_quotes_follow_the_editions_marks(outputs: Outputs, edition: str) -> None:
    marks = outputs.style(edition).rules.quotes
    rendered = "\n".join(text for _, text in outputs.render(edition))
    printed = outputs.pdf_text(edition)
    other = "“”‘’" if edition != "en" else "「」『』"
    for text in (rendered, printed):
        assert not set(other) & set(text)
        assert marks[0] in text and marks[1] in text


def test_the_english_terminology_check_is_clean_on_render_and_pdf(outputs: Outputs) -> None:
    glossary = outputs.dataset.glossary
    assert any(e.section == "en" for e in glossary)
    texts = [*outputs.render("en"), ("pdf", outputs.pdf_text("en"))]
    found = [
        str(p) for name, text in texts for p in terminology(name, text, glossary, figures_too=False)
    ]
    assert found == []
    # the prose writes figures in tonnes (the table cells keep the unit "t")
    assert re.search(r"\d tonnes", texts[-1][1])
