"""The company's brand (``brand:`` in ``data/report.yaml``) applied to charts and stylesheets.

The toolkit's stylesheets (``esgpress/resources/templates``) carry tokens
(``@accent@``, ``@accent_text@``, ``@accent_tint@``) instead of colours, filled
in from the brand here; a project that keeps its own stylesheet in
``templates/`` sets its colours there and the tokens are not used. The text
colour is the accent darkened until it reads on white (WCAG 4.5:1), so a light
brand colour never makes unreadable links.
"""

from __future__ import annotations

from esgpress.data.model import Brand


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(255.0, c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour (WCAG 2)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(colour: str) -> float:
    """Contrast ratio of ``colour`` against white."""
    return 1.05 / (luminance(colour) + 0.05)


def text_colour(accent: str) -> str:
    """Darken the accent in small steps until it has 4.5:1 contrast on white.

    >>> text_colour("#1f6f78")
    '#1f6f78'
    """
    colour = accent
    factor = 1.0
    while contrast_on_white(colour) < 4.5 and factor > 0:
        factor -= 0.02
        colour = _hex(tuple(c * factor for c in _rgb(accent)))  # type: ignore[arg-type]
    return colour


#: Every chart colour has at least this contrast against the white page (WCAG 1.4.11).
CHART_CONTRAST = 3.0
#: Two chart colours differ by at least this luminance contrast, so they stay
#: apart when the page is printed or viewed in greyscale.
GREYSCALE_STEP = 1.5
#: Colours a chart tells apart by luminance alone; more series add hatching.
LADDER = 5


def darken_to(colour: str, ratio: float) -> str:
    """Darken ``colour`` in small steps until it has ``ratio`` contrast on white."""
    out, factor = colour, 1.0
    while contrast_on_white(out) < ratio and factor > 0:
        factor -= 0.01
        out = _hex(tuple(c * factor for c in _rgb(colour)))  # type: ignore[arg-type]
    return out


def grey(target: float) -> str:
    """Return the neutral grey whose relative luminance is ``target`` (0 to 1), or just under."""
    s = target * 12.92 if target <= 0.0031308 else 1.055 * target ** (1 / 2.4) - 0.055
    level = int(max(0.0, min(1.0, s)) * 255)  # rounded down: never lighter than asked
    return f"#{level:02x}{level:02x}{level:02x}"


def luminance_ratio(a: str, b: str) -> float:
    """Contrast of two colours by luminance: what is left of their difference in greyscale."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def chart_colours(accent: str, n: int) -> list[str]:
    """``n`` chart colours: the accent, then greys, each readable on white and apart in grey.

    The accent (darkened until it has :data:`CHART_CONTRAST` on white) is the
    first colour (the report year, the first series); each next colour is a
    grey :data:`GREYSCALE_STEP` darker in luminance than the one before, so
    any two differ by at least that step and all have 3:1 against white.
    After :data:`LADDER` colours the ladder starts again (the chart hatches
    those series).

    >>> chart_colours("#ff6900", 3)
    ['#f76600', '#757575', '#595959']
    """
    ladder = [darken_to(accent, CHART_CONTRAST)]
    while len(ladder) < LADDER:
        ladder.append(grey((luminance(ladder[-1]) + 0.05) / GREYSCALE_STEP - 0.05))
    return [ladder[i % LADDER] for i in range(n)]


def tint(accent: str, share: float = 0.07) -> str:
    """Mix a pale background of the accent: ``share`` of it mixed into white."""
    return _hex(tuple(255 - (255 - c) * share for c in _rgb(accent)))  # type: ignore[arg-type]


def tokens(brand: Brand) -> dict[str, str]:
    """Return the stylesheet tokens of a brand."""
    return {
        "@accent_text@": text_colour(brand.accent),
        "@accent_tint@": tint(brand.accent),
        # the accent inside a data: URL (an SVG drawn in CSS), where '#' must be escaped
        "@accent_url@": brand.accent.replace("#", "%23"),
        "@accent@": brand.accent,
    }


def apply(text: str, brand: Brand) -> str:
    """Fill the brand tokens of a toolkit stylesheet (or SVG) with the brand's colours."""
    for token, value in tokens(brand).items():
        text = text.replace(token, value)
    return text
