"""Will a photo print sharply? Its resolution at the width it prints.

WeasyPrint prints an image pixel as one CSS pixel (1/96 in), and
``templates/print/print.css`` caps images at the text column (``max-width:
100%``): A4, 210 mm less the 16 mm and 22 mm side margins, 172 mm. So a
photo prints at its natural size up to 172 mm, at 96 dpi, or across the
column at ``pixels / 6.77 in``. Printers ask for 300 dpi and accept 200;
below that a photo looks soft or blocky on paper although it looks fine on
screen. The print build warns (it does not fail: the writer may have no
better photo) and names the pixels the image would need.
"""

from __future__ import annotations

from pathlib import Path

#: Width of the text column of the print edition, in millimetres (print.css).
TEXT_WIDTH_MM = 172.0
#: Below this a photo is reported.
MIN_DPI = 200
#: Image types measured (SVG and PDF are vector: any size is sharp).
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff")


def printed_dpi(path: Path, width_mm: float = TEXT_WIDTH_MM) -> float | None:
    """Dots per inch of ``path`` printed ``width_mm`` wide, or None for a vector image."""
    if path.suffix.lower() not in RASTER:
        return None
    from PIL import Image

    with Image.open(path) as img:
        printed_in = min(img.width / 96, width_mm / 25.4)
        return img.width / printed_in


def low_resolution_warning(path: Path, width_mm: float = TEXT_WIDTH_MM) -> str | None:
    """Return the warning for a photo that would print below :data:`MIN_DPI`, or None.

    >>> from tempfile import TemporaryDirectory
    >>> from PIL import Image
    >>> with TemporaryDirectory() as d:
    ...     Image.new("RGB", (800, 600)).save(Path(d) / "p.jpg")
    ...     print(low_resolution_warning(Path(d) / "p.jpg").split(";")[0])
    photo 'p.jpg' would print at 118 dpi (below 200)
    """
    dpi = printed_dpi(path, width_mm)
    if dpi is None or dpi >= MIN_DPI:
        return None
    need = int(-(-width_mm / 25.4 * MIN_DPI // 1))
    return (
        f"photo '{path.name}' would print at {dpi:.0f} dpi (below {MIN_DPI}); "
        f"for the {width_mm:g} mm text column use an image at least {need} px wide"
    )
