"""One record, no drift: the summary's tile figures against the text that cites them.

A tile figure is data (``tile:`` in ``data/topics.yaml``) and prints through
the same formatting as ``kpi()``; the danger is the body. A writer who types
「培训近12万人次」 in a chapter or in the summary, where the tile prints
「超12万人」, publishes two records of one fact. This check reads the Chinese
and English sources (the report's chapters and ``summary.md``) and, for every
tile figure:

- finds figures typed in the text with the same value at the precision the
  text gives (``12万`` matches 120,000; ``141.66万`` matches 1,416,603) and
  reports a different **qualifier** (超 vs 近, over vs nearly), a different
  **unit** (人 vs 人次) — an error at the body's line naming the tile's
  ``data/topics.yaml`` line;
- reports a typed figure of another **value** in the tile's unit right after
  the tile's name (「全年培训150万人次」 against a tile of 141.66万人次);
- warns when no ``kpi()``/``change()`` of the tile's indicator and no typed
  figure of the same value supports it anywhere: "no support in the body".

Typed numbers are compared only when they can be a reported figure: a
万/亿/million/billion scale, decimals, or three significant digits, and not a
year or a date (``2024年``, ``3月``); "4 个" or a target of "30%" is not
compared with a tile that prints 4 or 超30%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from esgpress.checks.lint import FULLWIDTH, SKIP_SPANS
from esgpress.core.errors import Problem
from esgpress.data.load_qualifiers import toolkit_qualifiers, typed_qualifiers, words_pattern
from esgpress.data.model import Dataset, TileFigure, Topic
from esgpress.editions.formatting import format_quantity
from esgpress.editions.i18n import Localizer
from esgpress.render.summary import SUMMARY_KEY

#: Editions whose sources are checked, with their content folder.
SOURCES = {"zh-Hans": "zh", "en": "en"}
#: Qualifier words as writers type them → the data's qualifier (the toolkit's
#: resources/qualifiers.yaml: each leading word and its ``also`` words).
ZH_QUALIFIERS = typed_qualifiers(toolkit_qualifiers(), "zh-Hans")
EN_QUALIFIERS = typed_qualifiers(toolkit_qualifiers(), "en")
SCALES = {
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
}
ZH_FIGURE = re.compile(
    rf"(?P<q>{words_pattern(ZH_QUALIFIERS)})?\s*(?P<n>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*"
    r"(?P<s>万|亿)?(?P<plus>\+)?(?=\s*(?P<rest>.{0,6}))",
    re.S,
)
EN_FIGURE = re.compile(
    rf"(?:(?P<q>{words_pattern(EN_QUALIFIERS)})\s+)?(?:RMB\s+)?"
    r"(?P<n>\d+(?:,\d{3})*(?:\.\d+)?)(?P<plus>\+)?\s*(?P<s>million|billion)?(?=\s*(?P<rest>[^\s.,;:]*))",
    re.I,
)
DATE_WORDS = ("年", "月", "日", "号", "岁")
#: A template call of a chapter; the ids it names (a KPI, or a group for a table).
CALL = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass(frozen=True)
class Figure:
    """A figure as printed or typed: qualifier, value, the digits after the point, unit text."""

    qualifier: str | None
    value: Decimal
    places: int
    unit: str
    shown: str


def parse_figure(match: re.Match[str], edition: str) -> Figure:
    """Read one match of :data:`ZH_FIGURE`/:data:`EN_FIGURE` into a :class:`Figure`."""
    digits = match.group("n").replace(",", "")
    places = len(digits.split(".")[1]) if "." in digits else 0
    scale = SCALES.get((match.group("s") or "").lower(), Decimal(1))
    words = ZH_QUALIFIERS if edition != "en" else EN_QUALIFIERS
    qualifier = "plus" if match.group("plus") else words.get((match.group("q") or "").lower())
    rest = (match.group("rest") or "").strip()
    return Figure(qualifier, Decimal(digits) * scale, places, rest, match.group(0).strip())


def figure_pattern(edition: str) -> re.Pattern[str]:
    """Return the typed-figure pattern of an edition's sources."""
    return EN_FIGURE if edition == "en" else ZH_FIGURE


def same_value(tile: Figure, typed: Figure, scale: Decimal) -> bool:
    """Whether a typed figure is the tile's value.

    Exactly, for a figure in full digits; at the precision the text gives for
    a figure with a scale word (``12万`` is 120,000, ``141.66万`` 1,416,603).
    """
    if scale == 1:
        return tile.value == typed.value
    quantum = Decimal(1).scaleb(-typed.places)
    return (tile.value / scale).quantize(quantum) * scale == typed.value


def qualifier_word(qualifier: str | None, edition: str) -> str:
    """Return the qualifier as the edition prints it, or "no qualifier"."""
    if qualifier is None:
        return "no qualifier" if edition == "en" else "无修饰"
    if qualifier == "plus":
        return "+"
    words = toolkit_qualifiers().get(qualifier)  # a project's own qualifier: its name
    return words.word(edition).strip() if words is not None else qualifier


@dataclass
class Tile:
    """A tile figure of one KPI, printed in one edition, with where it is written."""

    topic: Topic
    figure: TileFigure
    kpi: str
    printed: Figure


def tile_figures(dataset: Dataset, loc: Localizer) -> list[Tile]:
    """Every single-KPI tile figure (composite cells count once per KPI), as printed."""
    out: list[Tile] = []
    year = dataset.report.year
    for topic in dataset.components.topics:
        for fig in topic.tile or ():
            if fig.rating is not None or fig.change_from is not None:
                continue
            for kpi_id in fig.kpis:
                ind = dataset.indicators[kpi_id]
                value = ind.value(year)
                if value is None or value.number is None:
                    continue
                text = format_quantity(
                    value.number,
                    ind.decimals_for(value),
                    loc.unit_display(ind.unit),
                    loc.edition,
                    qualifier=value.qualifier,
                    qualifiers=dataset.qualifiers,
                    compact=fig.compact,
                )
                m = figure_pattern(loc.edition).search(text)
                if m is None:
                    continue
                printed = parse_figure(m, loc.edition)
                shown = Figure(
                    value.qualifier, printed.value, printed.places, printed.unit.strip(), text
                )
                out.append(Tile(topic, fig, kpi_id, shown))
    return out


#: Measure words writers type after a count, besides the unit catalogue's own words.
MEASURE_WORDS = {"zh-Hans": ("人次", "人", "名", "位", "家", "次", "台", "项", "场"), "en": ()}


def known_units(dataset: Dataset, loc: Localizer) -> list[str]:
    """Return the unit words of the edition, longest first (人次 is read before 人)."""
    words = {loc.unit_display(k).text for k in dataset.units}
    if loc.edition == "en":
        words |= {u.en_one for u in dataset.units.values() if u.en_one}
    words |= set(MEASURE_WORDS.get(loc.edition, ()))
    return sorted((w for w in words if w), key=len, reverse=True)


def body_files(root: Path, dataset: Dataset, lang: str) -> list[Path]:
    """Return the sources the body is made of: the report's chapters and the summary."""
    keys = [*dataset.report.chapters, SUMMARY_KEY]
    return [p for k in keys if (p := root / "content" / lang / f"{k}.md").is_file()]


def check_tiles(root: Path, dataset: Dataset) -> list[Problem]:
    """Report tile figures the body contradicts, and those it never cites."""
    problems: list[Problem] = []
    topics_path = dataset.components.topics_path
    for edition, lang in SOURCES.items():
        loc = Localizer(dataset, edition)
        tiles = tile_figures(dataset, loc)
        if not tiles:
            continue
        known = known_units(dataset, loc)
        supported: set[tuple[str, str]] = set()
        for path in body_files(root, dataset, lang):
            display = path.relative_to(root).as_posix()
            text = path.read_text(encoding="utf-8")
            cited = {
                literal
                for call in CALL.findall(text)
                for literal in re.findall(r"[\"']([\w.\-]+)[\"']", call)
            }
            for tile in tiles:
                if {tile.kpi, dataset.indicators[tile.kpi].group} & cited:
                    supported.add((tile.topic.id, tile.kpi))
            masked = SKIP_SPANS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text).translate(
                FULLWIDTH
            )
            for m in figure_pattern(edition).finditer(masked):
                typed = parse_figure(m, edition)
                if typed.unit.startswith(DATE_WORDS) or not _figure_like(m, typed):
                    continue
                scale = SCALES.get((m.group("s") or "").lower(), Decimal(1))
                typed_unit = next((u for u in known if typed.unit.startswith(u)), "")
                before = masked[masked.rfind("\n", 0, m.start()) + 1 : m.start()]
                for tile in tiles:
                    if same_value(tile.printed, typed, scale):
                        supported.add((tile.topic.id, tile.kpi))
                        found = _conflicts(tile.printed, typed, edition, typed_unit)
                    else:
                        found = _value_conflict(tile, typed, typed_unit, before, loc)
                    space = " " if edition == "en" and typed_unit else ""
                    shown = text[m.start() : m.end()].strip()
                    if found:
                        line = masked.count("\n", 0, m.start("n")) + 1
                        col = m.start() - (masked.rfind("\n", 0, m.start()) + 1) + 1
                        problems.append(
                            Problem(
                                display,
                                line,
                                col,
                                f"'{shown}{space}{typed_unit}' contradicts "
                                "the tile figure "
                                f"'{tile.printed.shown}' of topic '{tile.topic.id}' "
                                f"({topics_path}:{tile.figure.line}:{tile.figure.col}): "
                                + "; ".join(found)
                                + f'; cite {{{{ kpi("{tile.kpi}") }}}} so both print one record',
                                "error",
                                "tile-drift",
                            )
                        )
        for tile in tiles:
            if (tile.topic.id, tile.kpi) not in supported:
                problems.append(
                    Problem(
                        topics_path,
                        tile.figure.line,
                        tile.figure.col,
                        f"tile figure '{tile.printed.shown}' ({tile.kpi}) of topic "
                        f"'{tile.topic.id}': no support in the body (content/{lang}/: neither "
                        "the chapters nor the summary cite it or print its value)",
                        "warning",
                        "tile-unsupported",
                    )
                )
    return problems


def _figure_like(m: re.Match[str], typed: Figure) -> bool:
    """Whether a typed number can be a reported figure, not a count or a round target.

    A scale word (万, million), decimals, or three significant digits: "4 个",
    "30至50岁" and a target of "30%" are not compared.
    """
    digits = m.group("n").replace(",", "").split(".")[0].strip("0")
    return bool(m.group("s")) or typed.places > 0 or len(digits) >= 3


#: How far before a typed figure its sentence may name a tile (characters; Chinese, English).
NAME_REACH = {"zh-Hans": 16, "en": 60}


def tile_names(tile: Tile, loc: Localizer) -> list[str]:
    """Return the names a writer gives a tile's fact: the tile's label and the indicator's label."""
    ind = loc.dataset.indicators[tile.kpi]
    names = [loc.text(tile.figure.label), loc.text(ind.label)]
    return [n.lower() for n in names if len(n) >= 2]


def _value_conflict(
    tile: Tile, typed: Figure, typed_unit: str, before: str, loc: Localizer
) -> list[str]:
    """Report a typed figure of another value, in the tile's unit, after the tile's name.

    The check cannot know which fact an arbitrary number states; it takes the
    sentence's own word for it: 「全年培训150万人次」 names the tile 「全年培训」
    just before the figure and prints its unit, so 150万 is a second record of
    141.66万. A figure that does not follow the name, or has another unit, is
    left alone.
    """
    if not typed_unit or typed_unit != tile.printed.unit:
        return []
    reach = before[-NAME_REACH.get(loc.edition, 16) :].lower()
    name = next((n for n in tile_names(tile, loc) if n in reach), None)
    if name is None:
        return []
    return [f"value {_number(tile.printed)} vs {_number(typed)} for '{name}'"]


def _number(figure: Figure) -> str:
    """Return a figure's number without qualifier and unit (141.66万, 1.42 million)."""
    m = re.search(r"\d[\d,.]*(?:\s*(?:万|亿|million|billion))?", figure.shown)
    return m.group(0) if m else figure.shown


def _conflicts(tile: Figure, typed: Figure, edition: str, typed_unit: str) -> list[str]:
    """List what differs between a tile figure and a typed figure of the same value."""
    found = []
    if tile.qualifier != typed.qualifier:
        found.append(
            f"qualifier {qualifier_word(tile.qualifier, edition)} vs "
            f"{qualifier_word(typed.qualifier, edition)}"
        )
    unit = tile.unit
    if unit and typed_unit and typed_unit != unit:
        found.append(f"unit {unit} vs {typed_unit}")
    return found
