"""HTML of the report's standing components, built from data for one edition.

The chapter functions of :class:`~esgpress.render.vocabulary.ChapterVocabulary`
(``topic_map``, ``topic``, ``topics_table``, ``materiality_matrix``,
``sdg_marks``, ``ratings_table``, ``assurance_statement``) gather the data and
call these builders; every figure reaches them already formatted by
``kpi()``/``change()``, so a tile can only print what the data holds.

Words the components print are explicit per edition (no conversion), like
the print edition's own words. SDG marks are drawn badges in the goals'
published colours with the goal number (no icons are downloaded or shipped).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from esgpress.data.model import MANAGEMENT_COLUMNS, Rating, Topic

#: The UN SDG colours, goal 1 to 17 (the palette of the UN's SDG communications guidelines).
SDG_COLOURS = (
    "#E5243B",
    "#DDA63A",
    "#4C9F38",
    "#C5192D",
    "#FF3A21",
    "#26BDE2",
    "#FCC30B",
    "#A21942",
    "#FD6925",
    "#DD1367",
    "#FD9D24",
    "#BF8B2E",
    "#3F7E44",
    "#0A97D9",
    "#56C02B",
    "#00689D",
    "#19486A",
)

WORDS: dict[str, dict[str, str]] = {
    "positive_impact": {"zh-Hans": "正面影响", "zh-Hant": "正面影響", "en": "Positive impact"},
    "negative_impact": {"zh-Hans": "负面影响", "zh-Hant": "負面影響", "en": "Negative impact"},
    "risk": {"zh-Hans": "风险", "zh-Hant": "風險", "en": "Risk"},
    "opportunity": {"zh-Hans": "机遇", "zh-Hant": "機遇", "en": "Opportunity"},
    "topic": {"zh-Hans": "重要性议题", "zh-Hant": "重要性議題", "en": "Material topic"},
    "matrix": {
        "zh-Hans": "重要性议题矩阵",
        "zh-Hant": "重要性議題矩陣",
        "en": "Materiality matrix",
    },
    "sdgs": {"zh-Hans": "联合国可持续发展目标", "zh-Hant": "聯合國可持續發展目標", "en": "UN SDGs"},
    "governance": {"zh-Hans": "治理", "zh-Hant": "治理", "en": "Governance"},
    "strategy": {"zh-Hans": "战略", "zh-Hant": "戰略", "en": "Strategy"},
    "risk_management": {"zh-Hans": "风险管理", "zh-Hant": "風險管理", "en": "Risk management"},
    "actions": {"zh-Hans": "行动", "zh-Hant": "行動", "en": "Actions"},
    "rank": {"zh-Hans": "排序", "zh-Hant": "排序", "en": "Rank"},
    "pillar": {"zh-Hans": "范畴", "zh-Hant": "範疇", "en": "Pillar"},
    "agency": {"zh-Hans": "机构及评级", "zh-Hant": "機構及評級", "en": "Agency and rating"},
    "result": {"zh-Hans": "结果", "zh-Hant": "結果", "en": "Result"},
    "year": {"zh-Hans": "年份", "zh-Hant": "年份", "en": "Year"},
    "scale": {"zh-Hans": "等级范围", "zh-Hant": "等級範圍", "en": "Scale"},
    "previous": {"zh-Hans": "上次", "zh-Hant": "上次", "en": "previously"},
    "award": {"zh-Hans": "荣誉", "zh-Hant": "榮譽", "en": "Award"},
    "rating": {"zh-Hans": "评级", "zh-Hant": "評級", "en": "Rating"},
    "provider": {"zh-Hans": "鉴证机构", "zh-Hant": "鑒證機構", "en": "Assurance provider"},
    "standard": {"zh-Hans": "鉴证标准", "zh-Hant": "鑒證標準", "en": "Standard"},
    "level": {"zh-Hans": "保证等级", "zh-Hant": "保證等級", "en": "Level of assurance"},
    "scope": {"zh-Hans": "鉴证范围", "zh-Hant": "鑒證範圍", "en": "Scope"},
    "date": {"zh-Hans": "声明日期", "zh-Hant": "聲明日期", "en": "Date of statement"},
    "signatory": {"zh-Hans": "签署人", "zh-Hant": "簽署人", "en": "Signed by"},
    "reasonable": {"zh-Hans": "合理保证", "zh-Hant": "合理保證", "en": "Reasonable assurance"},
    "limited": {"zh-Hans": "有限保证", "zh-Hant": "有限保證", "en": "Limited assurance"},
    "indicators": {"zh-Hans": "项指标", "zh-Hant": "項指標", "en": "indicators"},
}

#: Column keys of the management table and the words that head them.
COLUMN_WORDS = dict(
    zip(MANAGEMENT_COLUMNS, ("governance", "strategy", "risk_management", "actions"), strict=True)
)


def word(key: str, edition: str) -> str:
    """Return a word the components print, in the edition's language."""
    return WORDS[key][edition]


def _luminance(rgb: tuple[float, float, float]) -> float:
    """Relative luminance (WCAG 2)."""
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def badge_colour(colour: str) -> str:
    """Darken a goal's colour just enough for white numbers to reach WCAG AA (4.5:1).

    Several official SDG colours (goal 7's yellow, 12's ochre) are too light
    for white text; the hue stays, the shade deepens.
    """
    rgb = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    factor = 1.0
    while 1.05 / (_luminance(tuple(c * factor for c in rgb)) + 0.05) < 4.6:  # type: ignore[arg-type]
        factor -= 0.02
    return "#" + "".join(f"{round(c * factor * 255):02X}" for c in rgb)


def sdg_badges(goals: Sequence[int]) -> str:
    """Numbered SDG badges (drawn with CSS; the number is the text).

    Each goal's colour is a class (``sdg-7``) in components.css, not an inline
    style: the published page keeps no ``style`` attribute (render/sanitize.py).
    The colours there are :func:`badge_colour` of :data:`SDG_COLOURS`.
    """
    return "".join(
        f'<span class="sdg sdg-{g}" title="SDG {g}">{g}</span>' for g in goals if 1 <= g <= 17
    )


def iro_tags(topic: Topic, edition: str) -> str:
    """Print the topic's impact/risk/opportunity tags as small labels."""
    return "".join(
        f'<span class="iro iro-{tag}">{escape(word(tag, edition))}</span>' for tag in topic.iro
    )


def tile_html(topic: Topic, label: str, figures: Sequence[tuple[str, str]], edition: str) -> str:
    """One tile of the topic map: pillar, name, IRO tags and up to three (label, figure) cells."""
    cells = "".join(
        f'<div class="tile-figure"><p class="figure">{figure}</p>'
        f'<p class="figure-label">{escape(name)}</p></div>'
        for name, figure in figures
    )
    body = f'<div class="tile-figures">{cells}</div>' if cells else ""
    return (
        f'<section class="tile pillar-{topic.pillar}" data-topic="{escape(topic.id)}">'
        f'<p class="tile-head"><span class="pillar">{topic.pillar}</span>'
        f'<span class="tile-title">{escape(label)}</span></p>'
        f'<p class="tile-tags">{iro_tags(topic, edition)}</p>{body}</section>'
    )


def topic_map_html(tiles: Sequence[str]) -> Markup:
    """Wrap the tiles in their grid."""
    return Markup('<div class="topic-map" markdown="0">' + "".join(tiles) + "</div>")


def topic_section(topic: Topic, label: str, body: str, edition: str) -> Markup:
    """Build a summary page of one topic: heading, pillar, tags and SDGs, the writer's text."""
    return Markup(
        f'<div class="summary-topic pillar-{topic.pillar}" markdown="1">\n'
        f'<h2 class="topic-title" id="topic-{escape(topic.id)}">'
        f'<span class="pillar">{topic.pillar}</span> {escape(label)}</h2>\n'
        f'<p class="topic-tags">{iro_tags(topic, edition)}'
        f'<span class="sdgs">{sdg_badges(topic.sdgs)}</span></p>\n\n{body.strip()}\n\n</div>'
    )


def management_table(
    topics: Sequence[Topic],
    edition: str,
    label: Callable[[Topic], str],
    cell: Callable[[Topic, str], str],
) -> Markup:
    """Build the material-topic management table: topic, SDGs, governance ... actions."""
    head = "".join(
        f'<th scope="col">{escape(word(k, edition))}</th>'
        for k in ("topic", "sdgs", *COLUMN_WORDS.values())
    )
    rows = []
    for t in topics:
        cells = "".join(f"<td>{cell(t, column)}</td>" for column in MANAGEMENT_COLUMNS)
        rows.append(
            f'<tr data-topic="{escape(t.id)}"><th scope="row">{escape(label(t))}</th>'
            f'<td class="sdgs">{sdg_badges(t.sdgs)}</td>{cells}</tr>'
        )
    return Markup(
        '<div class="landscape">\n<div class="kpi-table-wrap">\n<table class="topics-table">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</div>\n</div>"
    )


def ranking_html(topics: Sequence[Topic], label: Callable[[Topic], str]) -> Markup:
    """List the topics by rank: what a report without materiality scores prints."""
    items = "".join(
        f'<li value="{t.rank}" data-topic="{escape(t.id)}"><span class="pillar">{t.pillar}</span> '
        f"{escape(label(t))}</li>"
        for t in sorted(topics, key=lambda t: (t.rank or 999, t.id))
    )
    return Markup(f'<ol class="topic-ranking">{items}</ol>')


def ratings_html(ratings: Sequence[Rating], edition: str, text: Callable[[object], str]) -> Markup:
    """ESG ratings and awards: agency, result (with the previous grade), year, scale."""
    head = "".join(
        f'<th scope="col">{escape(word(k, edition))}</th>'
        for k in ("agency", "result", "year", "scale")
    )
    rows = []
    for r in ratings:
        result = escape(text(r.rating))
        if r.previous:
            before = f"{word('previous', edition)} {escape(r.previous)}"
            paren = f"（{before}）" if edition != "en" else f" ({before})"
            result += f'<span class="previous">{paren}</span>'
        scale = escape(text(r.scale)) if r.scale else "—"
        rows.append(
            f'<tr class="{r.kind}" data-rating="{escape(r.id)}">'
            f'<th scope="row">{escape(text(r.agency))}</th>'
            f"<td>{result}</td><td>{r.year}</td><td>{scale}</td></tr>"
        )
    return Markup(
        '<div class="kpi-table-wrap">\n<table class="ratings-table">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</div>"
    )


def assurance_html(
    facts: Sequence[tuple[str, str]],
    scope: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    statement: str | None,
    note: str | None = None,
) -> Markup:
    """Build the assurance facts, the assured indicators by level and the verbatim text."""
    rows = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{v}</td></tr>' for k, v in facts)
    lists = "".join(
        f'<p class="assurance-level">{escape(level)}</p><ul class="assurance-scope">'
        + "".join(
            f'<li><span class="assurance-group">{escape(group)}</span>{escape(items)}</li>'
            for group, items in names
        )
        + "</ul>"
        for level, names in scope
    )
    verbatim = f'<div class="assurance-statement-text">{statement}</div>' if statement else ""
    remark = f'<p class="assurance-note">{escape(note)}</p>' if note else ""
    return Markup(
        '<div class="assurance" markdown="0"><table class="assurance-facts"><tbody>'
        f"{rows}</tbody></table>{remark}{lists}{verbatim}</div>"
    )
