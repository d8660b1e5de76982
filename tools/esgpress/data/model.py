"""The data model: what a KPI data set *is*, independent of YAML.

Frozen dataclasses, so a loaded data set can be shared by the three edition
renders (and their worker processes) without anyone changing it midway.
Positions (``line``/``col``, 1-based) are kept on everything a check can
complain about, so messages point into ``data/kpis.yaml``.

Longer than 400 lines because it is one concern: every type of a loaded data
set, side by side, so a reader sees the whole model at once and every stage
imports its types from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

#: Every edition the toolkit can build, in the default order. A project picks
#: its own (``editions:`` in ``data/report.yaml``, :attr:`Report.editions`); this
#: is the default, with the Traditional edition first because it is the listed
#: (prevailing) edition in Hong Kong.
EDITIONS: tuple[str, ...] = ("zh-Hant", "zh-Hans", "en")

#: The script the Chinese source (``content/zh``, ``zh`` texts) is written in.
SourceScript = Literal["simplified", "traditional"]

#: The accent when a project sets none: a neutral teal, not any sample's colour.
DEFAULT_ACCENT = "#1f6f78"

#: Languages a text can be written in. ``zh`` is Simplified Chinese, the one
#: Chinese source; ``zh-Hant`` is an optional override of its conversion.
TEXT_LANGS: tuple[str, ...] = ("zh", "zh-Hant", "en")

MissingKind = Literal["not_reported", "not_applicable", "pending"]
ValueKind = Literal["number", "not_reported", "not_applicable", "pending"]

#: The toolkit's qualifiers (their words and meaning: resources/qualifiers.yaml,
#: read by esgpress.data.load_qualifiers; a project adds more in data/qualifiers.yaml).
QUALIFIERS: tuple[str, ...] = (
    *("plus", "over", "more_than", "nearly", "about", "at_least", "or_more"),
)


@dataclass(frozen=True)
class Qualifier:
    """A word that qualifies a figure, with what it says about the figure itself.

    ``includes`` tells whether the figure is part of the range: 以上 and
    "or more" include it (50岁以上 is "50 or over"), 超 and "over" exclude it.
    A translation must keep that meaning, so each qualifier carries its words
    in every edition; ``suffix`` words follow the figure. ``also`` holds the
    other words writers type for it, per source edition (超过 for 超).
    """

    hans: str
    hant: str
    en: str
    includes: bool
    suffix: bool = False
    also: tuple[tuple[str, tuple[str, ...]], ...] = ()
    line: int = 0
    col: int = 0

    def word(self, edition: str) -> str:
        """Return the qualifier's word in an edition, joined as the edition joins it.

        English words get a space on the figure's side ("over 1,000",
        "50 or more"); "+" and Chinese words are written against the figure.
        """
        word = {"zh-Hans": self.hans, "zh-Hant": self.hant}.get(edition, self.en)
        if edition != "en" or not word[:1].isalnum():
            return word
        return f" {word}" if self.suffix else f"{word} "

    def typed(self, edition: str) -> tuple[str, ...]:
        """Every word writers type for it in ``edition``'s sources (printed word first)."""
        printed = self.word(edition).strip()
        return (printed, *dict(self.also).get(edition, ()))


ASSURANCE_LEVELS: tuple[str, ...] = ("reasonable", "limited", "none")
FRAMEWORKS: tuple[str, ...] = ("hkex", "gri", "sasb")


@dataclass(frozen=True)
class Text:
    """A text in several languages; ``same`` is one text for every edition."""

    zh: str | None = None
    en: str | None = None
    zh_hant: str | None = None
    same: str | None = None

    def source(self, lang: str) -> str | None:
        """Return the text as written for ``lang`` (``zh``, ``zh-Hant`` or ``en``), if any."""
        if self.same is not None:
            return self.same
        return {"zh": self.zh, "en": self.en, "zh-Hant": self.zh_hant}.get(lang)


@dataclass(frozen=True)
class Restatement:
    """A corrected figure for a year already published: the old figure (if known) and why."""

    previous: Decimal | None
    reason: str


@dataclass(frozen=True)
class Value:
    """One cell: a number with its qualifier and precision, or a missing value."""

    kind: ValueKind
    number: Decimal | None = None
    qualifier: str | None = None
    decimals: int | None = None
    pending: Text | None = None
    footnotes: tuple[str, ...] = ()
    restated: Restatement | None = None
    line: int = 0
    col: int = 0

    @property
    def is_number(self) -> bool:
        """True when the cell holds a figure (zero included)."""
        return self.kind == "number"


@dataclass(frozen=True)
class Unit:
    """A unit of the catalogue with its display per language."""

    key: str
    zh: str
    en: str
    zh_hant: str | None = None
    en_one: str | None = None
    count: bool = False
    space: bool = True
    en_before: bool = False
    base: str | None = None
    factor: Decimal | None = None
    #: Other names data files may use for this unit (``tonnes`` for ``t``).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Formula:
    """A derived indicator's formula, parsed once; see :mod:`esgpress.data.formulas`."""

    source: str
    refs: tuple[tuple[str, int | None], ...]
    line: int
    col: int


@dataclass(frozen=True)
class Indicator:
    """One KPI row: label, unit, precision, metadata and values by year."""

    id: str
    group: str
    label: Text
    unit: str
    decimals: int
    line: int
    col: int
    definition: Text | None = None
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    assurance: str = "none"
    owner: str | None = None
    footnotes: tuple[str, ...] = ()
    sum_of: tuple[str, ...] = ()
    part_of: str | None = None
    derived: Formula | None = None
    published: dict[int, Value] = field(default_factory=dict)
    acknowledge: dict[str, str] = field(default_factory=dict)
    values: dict[int, Value] = field(default_factory=dict)
    segments: dict[int, dict[str, Value]] = field(default_factory=dict)
    segments_additive: bool = True
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: Keys of the group's ``subheadings`` this row is printed under, outermost first.
    under: tuple[str, ...] = ()
    #: Used in formulas and checks only: kept out of tables, downloads and exports.
    internal: bool = False
    #: Derived indicators: the formula's result for the years whose published
    #: figure is acknowledged as different (the table prints what was published).
    computed: dict[int, Decimal] = field(default_factory=dict)
    #: Series breaks: the first year on a new basis (boundary, method) and why.
    breaks: dict[int, str] = field(default_factory=dict)

    def value(self, year: int, segment: str | None = None) -> Value | None:
        """Look up the cell for a year (and segment); ``None`` if the data has none.

        ``"total"`` is the same as no segment, so callers can loop over
        segments and the total alike.
        """
        if segment is None or segment == "total":
            return self.values.get(year)
        return self.segments.get(year, {}).get(segment)

    def decimals_for(self, value: Value) -> int:
        """Return the printed precision of one value: its own override or the indicator's."""
        return self.decimals if value.decimals is None else value.decimals


@dataclass(frozen=True)
class SubHeading:
    """A sub-heading row inside a table (按性别划分): a label with no figures of its own."""

    key: str
    label: Text
    footnotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """A set of indicators printed as one table (and one export sheet topic)."""

    id: str
    label: Text
    topic: str
    indicators: tuple[str, ...]
    line: int
    col: int
    table: bool = True
    footnotes: tuple[str, ...] = ()
    subheadings: dict[str, SubHeading] = field(default_factory=dict)


@dataclass(frozen=True)
class Relation:
    """A declared fact to check: the parts add up to the total."""

    total: str
    parts: tuple[str, ...]
    line: int
    col: int
    acknowledge: dict[str, str] = field(default_factory=dict)
    kind: Literal["sum", "part", "segments", "weighted", "ratio"] = "sum"
    #: ``weighted``: the weight of each part (indicator ids, same order as ``parts``).
    weights: tuple[str, ...] = ()
    #: ``sum`` with no total indicator: the parts add up to this number (shares to 100).
    constant: Decimal | None = None


@dataclass(frozen=True)
class Segment:
    """An extra column of some years (a business segment)."""

    id: str
    label: Text
    footnotes: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Footnote:
    """A footnote text with its key; numbers are assigned when an edition renders."""

    key: str
    text: Text
    line: int
    col: int


@dataclass(frozen=True)
class Target:
    """An environmental target row; its texts are templates rendered per edition."""

    id: str
    area: Text
    target: Text
    progress: Text
    next: Text
    status: str
    line: int
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scope: Text | None = None


#: ESG pillars and impact/risk/opportunity (IRO) tags a material topic carries.
PILLARS: tuple[str, ...] = ("E", "S", "G")
IRO_TAGS: tuple[str, ...] = ("positive_impact", "negative_impact", "risk", "opportunity")
#: Columns of the material-topic management table, in print order.
MANAGEMENT_COLUMNS: tuple[str, ...] = ("governance", "strategy", "risk", "actions")


@dataclass(frozen=True)
class TileFigure:
    """One figure of a summary tile: KPI ids (two for a composite cell), a rating, or a change."""

    label: Text | None
    line: int
    col: int
    kpis: tuple[str, ...] = ()
    compact: bool = False
    change_from: int | None = None
    rating: str | None = None


@dataclass(frozen=True)
class Topic:
    """A material topic (``data/topics.yaml``); management texts are templates."""

    id: str
    label: Text
    pillar: str
    line: int
    iro: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    rank: int | None = None
    impact: Decimal | None = None
    financial: Decimal | None = None
    indicators: tuple[str, ...] = ()
    management: dict[str, Text] = field(default_factory=dict)
    tile: tuple[TileFigure, ...] | None = None


@dataclass(frozen=True)
class Rating:
    """An ESG rating (agency, grade, year, scale) or an award (``kind``), from data."""

    id: str
    kind: str
    agency: Text
    rating: Text
    year: int
    line: int
    scale: Text | None = None
    previous: str | None = None


@dataclass(frozen=True)
class Assurance:
    """The independent assurance statement's facts (``assurance:`` in ``data/report.yaml``)."""

    provider: Text
    standard: str
    level: Text | None = None
    date: date | None = None
    signatory: Text | None = None
    statement: str | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Components:
    """The report's standing components: material topics, ratings and awards, assurance."""

    topics: tuple[Topic, ...] = ()
    scores: str = "none"
    scores_note: Text | None = None
    ratings: tuple[Rating, ...] = ()
    assurance: Assurance | None = None
    topics_path: str = "data/topics.yaml"
    ratings_path: str = "data/ratings.yaml"


@dataclass(frozen=True)
class PublishedFile:
    """A file the site offers for download: one in the project (``path``) or an address (``url``).

    ``path`` is relative to the project folder and was checked by the loader
    to stay inside it; ``edition`` is the language edition it is written in
    (``None`` for a file that is not one edition's, such as a workbook for all).
    """

    path: str | None = None
    url: str | None = None
    edition: str | None = None
    title: Text | None = None
    date: date | None = None


@dataclass(frozen=True)
class ArchiveYear:
    """One earlier year's published report (``archive:`` in ``data/report.yaml``)."""

    year: int
    reports: tuple[PublishedFile, ...]
    data: tuple[PublishedFile, ...] = ()
    title: Text | None = None


@dataclass(frozen=True)
class Contact:
    """Where readers send questions and feedback (``contact:``), shown in the site's footer."""

    email: str | None = None
    url: str | None = None
    address: Text | None = None
    feedback: str | None = None


@dataclass(frozen=True)
class Publications:
    """What the site publishes beside this year's report: earlier years, policies, contact."""

    archive: tuple[ArchiveYear, ...] = ()
    policies: tuple[PublishedFile, ...] = ()
    contact: Contact = field(default_factory=Contact)


#: How many headline tiles the microsite's landing page shows at most.
MAX_HEADLINES = 8


@dataclass(frozen=True)
class PrintSettings:
    """The ``print:`` block of ``data/report.yaml``, the same for every edition.

    ``verso``/``recto`` are the running heads of left and right pages; ``None``
    means the default (company name, report title), which the print stage
    picks per edition.
    """

    first_page: int = 1
    verso: Text | None = None
    recto: Text | None = None


@dataclass(frozen=True)
class SiteSettings:
    """The ``site:`` block of ``data/report.yaml``, checked against the data set.

    ``headline`` holds only KPI ids the data set has (at most
    :data:`MAX_HEADLINES`); ``url`` is an ``http(s)://`` address or ``None``.
    """

    headline: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class HouseStyle:
    """One edition's block of ``style:`` in ``data/report.yaml`` (docs/data-format.md).

    Attributes:
        edition: zh-Hant, zh-Hans or en.
        figure_unit: ``together`` (38,000噸), ``thin`` (a narrow no-break
            space) or ``space`` (38,000 吨).
        cjk_latin: ``together`` or ``space`` between Chinese and Latin
            letters or digits (Chinese editions only).
        scale: the words large figures are scaled with (万 亿 / 萬 億 /
            million billion); a unit that scales by any other word (百万) is
            rescaled to these.
        quotes: opening and closing double, then single quote marks.
        unit_slash: how a compound unit joins its parts (``/`` or `` / ``).

    """

    edition: str
    figure_unit: str = "space"
    cjk_latin: str = "together"
    scale: tuple[str, ...] = ()
    quotes: str = "“”‘’"
    unit_slash: str = "/"


@dataclass(frozen=True)
class Brand:
    """The ``brand:`` block of ``data/report.yaml``: the company's colours, logo and fonts.

    ``palette`` holds the chart series colours (the accent first when empty);
    ``logo`` is a path relative to the project; ``fonts`` maps an edition to a
    CSS font stack for its PDF.
    """

    accent: str = DEFAULT_ACCENT
    palette: tuple[str, ...] = ()
    logo: str | None = None
    fonts: tuple[tuple[str, str], ...] = ()

    def font(self, edition: str) -> str | None:
        """Return the PDF font stack the project sets for ``edition``, if any."""
        return dict(self.fonts).get(edition)


@dataclass(frozen=True)
class TableStyle:
    """The ``tables:`` block of ``data/report.yaml``: how every KPI table prints by default.

    ``not_reported`` replaces the dash of a year with no figure (``-`` in some
    reports); ``unit_slash`` is the older spelling of ``style.<edition>.unit_slash``
    (the slash of every edition that sets none; None when absent);
    ``unit`` is where units go: their own ``column``, in each ``cell``
    (``12.82%``), in the row ``label`` or ``none``.
    """

    not_reported: str | None = None
    unit_slash: str | None = None
    unit: str = "column"
    #: ``less_than``: a figure that is not zero but rounds to zero prints ``<0.01``.
    rounds_to_zero: str = "zero"


#: Where a table prints its units (``kpi_table(unit=...)``, ``tables.unit``).
UNIT_PLACES: tuple[str, ...] = ("column", "cell", "label", "none")


@dataclass(frozen=True)
class Report:
    """Report-level facts and settings from ``data/report.yaml``, all validated by the loader."""

    slug: str
    year: int
    comparison_years: tuple[int, ...]
    data_from: int
    company: Text
    title: Text
    chapters: tuple[str, ...]
    currency: str = "RMB"
    period_start: date | None = None
    period_end: date | None = None
    published: date | None = None
    board_approval: date | None = None
    sample: bool = False
    sample_notice: Text | None = None
    print: PrintSettings = field(default_factory=PrintSettings)
    site: SiteSettings = field(default_factory=SiteSettings)
    style: dict[str, HouseStyle] = field(default_factory=dict)
    #: The editions this project publishes, in order (a subset of :data:`EDITIONS`).
    editions: tuple[str, ...] = EDITIONS
    #: The edition served at the site root and listed first.
    default_edition: str = EDITIONS[0]
    source_script: SourceScript = "simplified"
    brand: Brand = field(default_factory=Brand)

    @property
    def has_chinese(self) -> bool:
        """True when the project publishes a Chinese edition (and so has ``content/zh``)."""
        return any(e.startswith("zh") for e in self.editions)

    tables: TableStyle = field(default_factory=TableStyle)

    @property
    def years(self) -> tuple[int, ...]:
        """Years printed in tables: the report year, then comparisons, newest first."""
        return (self.year, *self.comparison_years)


@dataclass(frozen=True)
class GlossaryEntry:
    """One validated entry of ``data/glossary.yaml``, at its 1-based key position.

    ``protected`` terms have ``target == source``; ``characters`` map one
    character of OpenCC's output to the house character, except in the
    Simplified phrases of ``exceptions``; ``usage`` entries map a Simplified
    word to the Traditional form the publisher prints (週報, 複盤); ``en``
    entries map a variant to the preferred English term.
    """

    section: Literal["protected", "phrases", "characters", "usage", "en"]
    source: str
    target: str
    exceptions: tuple[str, ...] = ()
    line: int = 0
    col: int = 0
    #: ``en`` only: the variant is wrong only right after a figure (38,000 t → tonnes).
    after_figure: bool = False


@dataclass(frozen=True)
class FrameworkCode:
    """One code of a framework catalogue (``data/frameworks.yaml``), in index order."""

    code: str
    title: Text
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Dataset:
    """Everything in ``data/``: the input of every render and check."""

    report: Report
    units: dict[str, Unit]
    segments: dict[str, Segment]
    footnotes: dict[str, Footnote]
    groups: dict[str, Group]
    indicators: dict[str, Indicator]
    relations: tuple[Relation, ...]
    targets: tuple[Target, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    frameworks: dict[str, tuple[FrameworkCode, ...]] = field(default_factory=dict)
    #: The qualifier words in force (toolkit's, extended by data/qualifiers.yaml).
    qualifiers: dict[str, Qualifier] = field(default_factory=dict)
    components: Components = field(default_factory=Components)
    publications: Publications = field(default_factory=Publications)
    kpis_path: str = "data/kpis.yaml"
    report_path: str = "data/report.yaml"
    units_path: str = "data/units.yaml"

    def indicator(self, kpi_id: str) -> Indicator:
        """Look up an indicator by id (``KeyError`` if unknown)."""
        return self.indicators[kpi_id]
