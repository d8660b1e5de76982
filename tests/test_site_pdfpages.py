"""The web content index gives each section's PDF page (docs/site.md, "Content index")."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from esgpress.site.pdfpages import add_pdf_pages, section_pages


def _pdf_with_destinations(path: Path) -> None:
    """Three pages labelled from 110, with named destinations on pages 1 and 3."""
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    names = pikepdf.NameTree.new(pdf)
    names["climate"] = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    names["climate.waste"] = pikepdf.Dictionary(
        D=pikepdf.Array([pdf.pages[2].obj, pikepdf.Name.Fit])
    )
    pdf.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    pdf.Root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array([0, pikepdf.Dictionary(S=pikepdf.Name.D, St=110)])
    )
    pdf.save(path)


def test_section_pages_reads_named_destinations_and_labels(tmp_path):
    _pdf_with_destinations(tmp_path / "r.pdf")
    assert section_pages(tmp_path / "r.pdf") == {
        "climate": (1, "110"),
        "climate.waste": (3, "112"),
    }


def test_index_links_get_the_pdf_page(tmp_path):
    _pdf_with_destinations(tmp_path / "r.pdf")
    pages = section_pages(tmp_path / "r.pdf")
    row = (
        "| A1 | 排放物 | [廢棄物](climate.md#climate.waste){: .index-ref }"
        "<br>[其他](about.md#about.scope){: .index-ref } |"
    )
    assert add_pdf_pages(row, pages, "files/r-zh-Hant.pdf", "zh-Hant") == (
        "| A1 | 排放物 | [廢棄物](climate.md#climate.waste){: .index-ref } "
        '<a class="index-page" href="files/r-zh-Hant.pdf#page=3">第112頁</a>'
        "<br>[其他](about.md#about.scope){: .index-ref } |"
    )
