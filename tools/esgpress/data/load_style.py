"""Read the ``style:`` block of ``data/report.yaml``: the house style of each edition.

Every key is optional; what a project leaves out follows :data:`DEFAULTS`,
the sample publisher's published usage (counted in docs/data-format.md,
"House style"): the 2024 Traditional report writes figures and units
together (噸 18:2, 人 23:2, 萬 34:0) and Chinese beside Latin with no space
(403:4); the 2023 Simplified report spaces both (吨 0:19, 万 0:23, Chinese
and Latin 13:334) and writes compound units as 吨 / 人; both quote with
「」 (298 and 187 pairs against 7 “” in 2023).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ruamel.yaml.nodes import Node

from esgpress.data.model import EDITIONS, HouseStyle
from esgpress.data.schema import Reader

DEFAULTS = {
    "zh-Hant": HouseStyle("zh-Hant", "together", "together", ("萬", "億"), "「」『』", "/"),
    "zh-Hans": HouseStyle("zh-Hans", "space", "space", ("万", "亿"), "「」『』", " / "),
    "en": HouseStyle("en", "space", "together", ("million", "billion"), "“”‘’", "/"),
}
STYLE_KEYS = ("figure_unit", "cjk_latin", "scale", "quotes", "unit_slash")
FIGURE_UNIT = ("together", "thin", "space")
CJK_LATIN = ("together", "space")


def read_style(r: Reader, node: Node | None, slash: str | None = None) -> dict[str, HouseStyle]:
    """Return every edition's house style: the defaults, with the block's keys over them.

    ``slash`` (``tables.unit_slash``, the older key) replaces the default
    ``unit_slash`` of every edition; an edition's own ``unit_slash`` wins.
    """
    styles = dict(DEFAULTS)
    if slash is not None:
        styles = {e: replace(s, unit_slash=slash) for e, s in styles.items()}
    entries = r.mapping(node, "style") if node is not None else None
    if not entries:
        return styles
    r.keys(entries, "style", EDITIONS)
    for edition in EDITIONS:
        if edition not in entries:
            continue
        what = f"style.{edition}"
        block = r.mapping(entries[edition][1], what) or {}
        r.keys(block, what, STYLE_KEYS)
        changes: dict[str, Any] = {}
        if "figure_unit" in block:
            changes["figure_unit"] = r.choice(
                block["figure_unit"][1], f"{what}.figure_unit", FIGURE_UNIT
            )
        if "cjk_latin" in block:
            changes["cjk_latin"] = r.choice(block["cjk_latin"][1], f"{what}.cjk_latin", CJK_LATIN)
        if "scale" in block:
            changes["scale"] = r.strings(block["scale"][1], f"{what}.scale")
        if "quotes" in block:
            quotes = r.string(block["quotes"][1], f"{what}.quotes")
            if quotes is not None and len(quotes) != 4:
                r.error(
                    block["quotes"][1],
                    f"{what}.quotes '{quotes}' should be four marks: "
                    "opening and closing double, then single (「」『』)",
                )
                quotes = None
            changes["quotes"] = quotes
        if "unit_slash" in block:
            changes["unit_slash"] = r.string(block["unit_slash"][1], f"{what}.unit_slash")
        styles[edition] = replace(
            styles[edition], **{k: v for k, v in changes.items() if v is not None}
        )
    return styles
