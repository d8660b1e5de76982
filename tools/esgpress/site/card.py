"""The social card of each edition: the picture a link to the site shows when shared.

Open Graph (``og:image``) and Twitter (``summary_large_image``) ask for one
picture of 1200×630 pixels. It is drawn at build time with matplotlib (already
the charts' renderer), in the edition's Noto CJK face, from the report's own
facts: company, title, year, and the first headline figures of the landing
page, formatted exactly as the tiles. Nothing is fetched; the same data give
the same bytes (no timestamps in the PNG), so a rebuild does not rewrite it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from esgpress.data.model import Dataset
from esgpress.editions.formatting import is_chinese
from esgpress.editions.i18n import Localizer
from esgpress.render.charts import LAYOUT_FONT
from esgpress.render.chartstyle import wrap_label
from esgpress.site.landing import Tile

#: The file name of the card in each edition's folder of the site.
CARD_NAME = "social-card.png"
#: Open Graph's recommended size, in pixels.
CARD_SIZE = (1200, 630)
INK = "#1f1f1f"
MUTED = "#5c5c5c"


def card_png(dataset: Dataset, loc: Localizer, tiles: Sequence[Tile]) -> bytes:
    """Draw the edition's card: an accent band, company, title and up to three figures."""
    report = dataset.report
    accent = report.brand.accent
    chinese = is_chinese(loc.edition)
    width, height = CARD_SIZE
    with rc_context({"font.family": [LAYOUT_FONT[loc.edition]], "text.color": INK}):
        fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
        FigureCanvasAgg(fig)
        # The brand's colour down the left edge.
        fig.add_artist(Rectangle((0, 0), 0.025, 1, transform=fig.transFigure, color=accent))
        fig.text(0.08, 0.86, loc.text(report.company), fontsize=30, color=MUTED, va="top")
        title = wrap_label(loc.text(report.title), loc.edition, 16 if chinese else 17)
        fig.text(0.08, 0.74, title, fontsize=44, weight="bold", va="top", linespacing=1.25)
        for i, tile in enumerate(tiles[:3]):
            x = 0.08 + i * 0.3
            # The figure large, its unit and label below: three columns of 360 px.
            fig.text(x, 0.30, tile.number, fontsize=34, weight="bold", va="baseline")
            fig.text(x, 0.22, tile.unit, fontsize=17, color=MUTED, va="baseline")
            label = wrap_label(tile.label, loc.edition, 11 if chinese else 12)
            fig.text(x, 0.17, label, fontsize=17, va="top", linespacing=1.2)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=100, metadata={"Software": None})
    return out.getvalue()


def card_alt(dataset: Dataset, loc: Localizer) -> str:
    """Return the card's text alternative (``og:image:alt``): what the picture says."""
    report = dataset.report
    return f"{loc.text(report.company)} {loc.text(report.title)}"
