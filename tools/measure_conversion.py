"""Measure the Simplified → Traditional converter against the 2024 report.

The 2024 annual report's ESG section (lines 1488–11573 of the plain-text
extraction) is real Hong Kong Traditional text in the company's house style.
The measurement turns it into Simplified with ``Converter.to_hans`` (OpenCC
``tw2s`` plus the protected terms), back into Traditional with
``Converter.to_hant``, and counts the Han characters that differ from the
printed original. The figure is 1 − differing ÷ total.

Preparation: the extraction hard-wraps every printed line and prints the
rotated table pages one character per line. A line break that falls between
two Han characters is removed before converting, because OpenCC matches
phrases within a line and a writer's Markdown never breaks a word. Only
newlines are removed: every Han character of the section is counted, the
rotated pages included. The figure without this step is printed too.

Split: the held-out part starts at the first page (a line that begins with
one space) at or after the line holding the 60th percentile of the section's
Han characters; everything before it is the tuning part. Glossary entries are
chosen by looking at the tuning part only.

Usage::

    python tools/measure_conversion.py [--report PATH] [--glossary PATH] [--top N]

Exit status 2 when the report file is missing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import opencc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

from esgpress.data.scripts import HANS_CONFIG, HANT_CONFIG  # noqa: E402 - needs the path above
from esgpress.data.scripts import is_han as _is_han  # noqa: E402
from esgpress.editions.converter import Converter  # noqa: E402
from esgpress.editions.glossary import load_glossary  # noqa: E402
from esgpress.editions.wordlevel import Segmenter, glossary_words  # noqa: E402

#: The glossary of the repository's sample project, which the measurement tunes.
DEFAULT_GLOSSARY_PATH = REPO / "data" / "glossary.yaml"

DEFAULT_REPORT = REPO.parent / "shared" / "reference" / "2024-annual-report.txt"
ESG_FIRST, ESG_LAST = 1488, 11573  # 1-based, inclusive
TUNING_SHARE = 0.6
PRESETS = ("s2t", "s2tw", "s2hk")

_WRAP = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])\n\n?(?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
)


@dataclass
class Score:
    """Han characters compared, how many differ, and which pairs."""

    han: int = 0
    differing: int = 0
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    contexts: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        """Share of Han characters reproduced exactly."""
        return 1 - self.differing / self.han if self.han else 1.0


@dataclass
class Part:
    """One named slice of the ESG section."""

    name: str
    first_line: int
    last_line: int
    text: str


@dataclass
class Result:
    """Everything the script prints."""

    parts: list[Part]
    converter: dict[str, Score]
    as_extracted: dict[str, Score]
    whole_text: dict[str, Score]
    presets: dict[str, dict[str, Score]]

    @property
    def held_out(self) -> float:
        """The headline figure: accuracy on the held-out part."""
        return self.converter["held-out"].accuracy


def read_esg_lines(report: Path) -> list[str]:
    """Return the ESG section's lines (1488–11573) of the extracted report."""
    lines = report.read_text(encoding="utf-8").split("\n")
    return lines[ESG_FIRST - 1 : ESG_LAST]


def split_parts(lines: Sequence[str]) -> list[Part]:
    """Split the section into tuning and held-out parts at a page start.

    A contiguous split (rather than alternate pages) keeps whole chapters out
    of the tuning part, so the held-out figure shows whether glossary entries
    generalise to topics they were not written for.
    """
    counts = [sum(map(_is_han, line)) for line in lines]
    target, seen, cut = TUNING_SHARE * sum(counts), 0, len(lines)
    for i, n in enumerate(counts):
        seen += n
        if seen >= target:
            cut = next((j for j in range(i, len(lines)) if _is_page_start(lines[j])), len(lines))
            break
    return [
        Part("tuning", ESG_FIRST, ESG_FIRST + cut - 1, "\n".join(lines[:cut])),
        Part("held-out", ESG_FIRST + cut, ESG_LAST, "\n".join(lines[cut:])),
    ]


def _is_page_start(line: str) -> bool:
    """Most printed pages start with a line indented by exactly one space."""
    return line.startswith(" ") and len(line) > 1 and not line[1].isspace()


def unwrap(text: str) -> str:
    """Remove line breaks that fall between two Han characters."""
    return _WRAP.sub("", text)


def compare(original: str, produced: str, context: int = 4) -> Score:
    """Count Han characters of ``original`` that ``produced`` does not reproduce."""
    if len(original) != len(produced):
        raise ValueError("conversion changed the text length; cannot compare by position")
    score = Score()
    for i, (a, b) in enumerate(zip(original, produced, strict=True)):
        if not _is_han(a):
            continue
        score.han += 1
        if a != b:
            score.differing += 1
            score.pairs[a, b] += 1
            snippet = original[max(0, i - context) : i + context + 1].replace("\n", "⏎")
            score.contexts.setdefault((a, b), []).append(snippet)
    return score


def round_trip(text: str, to_hans: Callable[[str], str], to_hant: Callable[[str], str]) -> Score:
    """Score Traditional → Simplified → Traditional on ``text``."""
    return compare(text, to_hant(to_hans(text)))


def measure(report: Path, glossary: Path | None = None) -> Result:
    """Run every measurement the script prints.

    Args:
        report: the extracted 2024 annual report.
        glossary: the glossary to evaluate (default: the repository's).

    Returns:
        Scores per part for the converter, for the converter on the text as
        extracted (no unwrapping), and for each OpenCC preset alone.

    """
    glossary_path = glossary or DEFAULT_GLOSSARY_PATH
    rules = load_glossary(glossary_path)
    conv = Converter(rules, Segmenter(glossary_words(rules)))  # as the editions convert
    whole = Converter(rules)  # one OpenCC pass over the whole text
    plain = Converter()
    parts = split_parts(read_esg_lines(report))
    everything = Part("all", ESG_FIRST, ESG_LAST, "\n".join(p.text for p in parts))
    parts.append(everything)
    result = Result(parts, {}, {}, {}, {p: {} for p in PRESETS})
    for part in parts:
        text = unwrap(part.text)
        result.converter[part.name] = round_trip(text, conv.to_hans, conv.to_hant)
        result.as_extracted[part.name] = round_trip(part.text, conv.to_hans, conv.to_hant)
        result.whole_text[part.name] = round_trip(text, whole.to_hans, whole.to_hant)
        for preset in PRESETS:
            engine = opencc.OpenCC(preset)
            result.presets[preset][part.name] = round_trip(text, plain.to_hans, engine.convert)
    return result


def report_lines(result: Result, top: int) -> list[str]:
    """Format the result as the lines the script prints."""
    names = [p.name for p in result.parts]
    out = [
        f"Round trip on the 2024 report's ESG section (lines {ESG_FIRST}–{ESG_LAST}):",
        f"  Traditional → Simplified: Converter.to_hans (OpenCC {HANS_CONFIG} + protected terms)",
        f"  Simplified → Traditional: Converter.to_hant "
        f"(OpenCC {HANT_CONFIG} word by word + glossary)",
    ]
    for part, score in zip(result.parts, result.converter.values(), strict=True):
        out.append(
            f"  {part.name:<9} lines {part.first_line}–{part.last_line}: "
            f"{score.han:,} Han characters"
        )
    header = f"{'accuracy (Han characters reproduced)':<44}" + "".join(f"{n:>10}" for n in names)
    out += ["", header]

    def row(label: str, scores: dict[str, Score]) -> str:
        return f"{label:<44}" + "".join(f"{scores[n].accuracy:>10.3%}" for n in names)

    for preset, scores in result.presets.items():
        out.append(row(f"OpenCC {preset} alone", scores))
    out.append(row("converter, whole text at once", result.whole_text))
    out.append(row("converter, lines as extracted", result.as_extracted))
    out.append(row("converter (the measured figure)", result.converter))
    held = result.converter["held-out"]
    out += [
        "",
        f"Held-out round-trip accuracy: {held.accuracy:.3%} "
        f"({held.differing} of {held.han:,} Han characters differ)",
    ]
    for name in ("held-out", "tuning"):
        score = result.converter[name]
        out += ["", f"Top remaining differences, {name} part (printed → produced):"]
        for (a, b), n in score.pairs.most_common(top):
            examples = " | ".join(score.contexts[a, b][:3])
            out.append(f"  {a}→{b} ×{n}   {examples}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="extracted report")
    parser.add_argument("--glossary", type=Path, default=None, help="glossary YAML")
    parser.add_argument("--top", type=int, default=15, help="differences to list per part")
    args = parser.parse_args(argv)
    if not args.report.is_file():
        print(
            f"measure_conversion: report not found: {args.report}\n"
            "Pass --report PATH, or place the shared reference files beside the repository "
            "(../shared/reference/2024-annual-report.txt).",
            file=sys.stderr,
        )
        return 2
    print("\n".join(report_lines(measure(args.report, args.glossary), args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
