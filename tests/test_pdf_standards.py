"""The sample's PDFs against the clauses of PDF/UA-1 and PDF/A-3 that esgpress enforces.

There is no veraPDF on the package registries here, so the rules the
finishing step (tools/esgpress/pdf/finish.py) implements are checked one by
one on the real sample report (data/ and content/ of this repository), built
once per session like tests/test_pdf.py builds its fixture. Each test is named
after the clause it enforces: ``iso14289`` is PDF/UA-1 (ISO 14289-1:2014),
``iso19005`` PDF/A-3 (ISO 19005-3:2012), ``iso32000`` PDF 1.7 (ISO 32000-1).
docs/print.md lists which clauses are verified here and which are not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS

pikepdf = pytest.importorskip("pikepdf")

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAGE = 110  # data/report.yaml print.first_page of the sample
XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]


@dataclass
class Sample:
    root: Path
    pdfs: dict[str, Path]


def build(root: Path, editions: tuple[str, ...] = EDITIONS, **kwargs: Any) -> dict[str, Path]:
    from esgpress.pdf.build import build_pdfs

    dataset, _ = load_project(root)
    cwd = Path.cwd()
    os.chdir(root)  # the zh-Hant converter looks for data/glossary.yaml from here
    try:
        return build_pdfs(root, dataset, editions, render=True, **kwargs)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def sample(sample_pdfs: tuple[Path, dict[str, Path]]) -> Iterator[Sample]:
    yield Sample(*sample_pdfs)


def open_pdf(sample: Sample, edition: str) -> Any:
    return pikepdf.open(sample.pdfs[edition])


def xmp(pdf: Any) -> ET.Element:
    raw = bytes(pdf.Root.Metadata.read_bytes())
    return ET.fromstring(re.search(rb"<rdf:RDF.*</rdf:RDF>", raw, re.S).group(0))


def xmp_value(rdf: ET.Element, prefix: str, name: str) -> str | None:
    key = f"{{{XMP[prefix]}}}{name}"
    for desc in rdf.iter(f"{{{XMP['rdf']}}}Description"):
        if key in desc.attrib:
            return desc.attrib[key]
        child = desc.find(key)
        if child is not None:
            return child.text
    return None


def struct_elems(pdf: Any) -> list[Any]:
    return [
        o
        for o in pdf.objects
        if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
    ]


def reachable(pdf: Any) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    todo = [pdf.Root.StructTreeRoot.K]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Array):
            todo.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in seen:
            seen.add(node.objgen)
            if "/K" in node:
                todo.append(node.K)
    return seen


def text_pages(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


# ---------------------------------------------------------------- identification (XMP)


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso19005_3_6_6_4_xmp_declares_pdfa_part_3(sample: Sample, edition: str) -> None:
    rdf = xmp(open_pdf(sample, edition))
    assert xmp_value(rdf, "pdfaid", "part") == "3"
    assert xmp_value(rdf, "pdfaid", "conformance") in ("A", "B", "U")


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_5_xmp_declares_pdfua_part_1(sample: Sample, edition: str) -> None:
    rdf = xmp(open_pdf(sample, edition))
    assert xmp_value(rdf, "pdfuaid", "part") == "1"


def test_iso19005_3_6_6_2_3_1_pdfuaid_has_an_extension_schema(sample: Sample) -> None:
    rdf = xmp(open_pdf(sample, "en"))
    uris = [e.text for e in rdf.iter(f"{{{XMP['pdfaSchema']}}}namespaceURI")]
    assert XMP["pdfuaid"] in uris


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_1_title_in_xmp_and_displayed(sample: Sample, edition: str) -> None:
    pdf = open_pdf(sample, edition)
    raw = bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")
    assert "<dc:title>" in raw
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert str(pdf.Root.Lang) in ("zh-HK", "zh-CN", "en")


# ---------------------------------------------------------------- PDF/A-3 file structure


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso19005_3_6_1_3_trailer_has_an_id(sample: Sample, edition: str) -> None:
    pdf = open_pdf(sample, edition)
    ids = pdf.trailer.ID
    assert len(ids) == 2 and all(len(bytes(i)) == 16 for i in ids)
    assert "/Encrypt" not in pdf.trailer


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso19005_3_6_2_3_srgb_output_intent(sample: Sample, edition: str) -> None:
    pdf = open_pdf(sample, edition)
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 3
    data = bytes(profile.read_bytes())
    assert data[36:40] == b"acsp" and data[16:20] == b"RGB "  # an ICC RGB profile


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso19005_3_6_3_2_every_annotation_prints(sample: Sample, edition: str) -> None:
    pdf = open_pdf(sample, edition)
    annots = [a for page in pdf.pages for a in page.get("/Annots", [])]
    assert annots
    assert all(int(a.get("/F", 0)) & 4 for a in annots)


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso19005_3_6_8_kpi_data_attached_with_af_relationship_data(
    sample: Sample, edition: str
) -> None:
    from esgpress.editions.i18n import Localizer
    from esgpress.workflows.export import export_bytes

    pdf = open_pdf(sample, edition)
    af = list(pdf.Root.AF)
    names = {str(spec.UF): spec for spec in af}
    assert sorted(names) == ["kpis.csv", "kpis.xlsx"]
    dataset, _ = load_project(sample.root)
    loc = Localizer(dataset, edition)
    for name, spec in names.items():
        assert spec.AFRelationship == "/Data" and str(spec.F) == name and str(spec.Desc)
        stream = spec.EF.F
        assert stream.Type == "/EmbeddedFile" and "/ModDate" in stream.Params
        assert str(stream.Subtype) in (
            "/text/csv",
            "/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        assert bytes(stream.read_bytes()) == export_bytes(dataset, loc, name.split(".")[1])
    embedded = list(pdf.Root.Names.EmbeddedFiles.Names)[1::2]
    assert {e.objgen for e in embedded} == {s.objgen for s in af}


def test_attached_csv_is_rounded_as_the_tables_print(sample: Sample) -> None:
    pdf = open_pdf(sample, "en")
    csv_text = bytes(pdf.attachments["kpis.csv"].get_file().read_bytes()).decode("utf-8-sig")
    header, *rows = csv_text.splitlines()
    assert header.startswith("id,group,topic,label,unit,year,segment,value")
    text = "".join(text_pages(sample.pdfs["en"]))
    # 209,714.77 tCO2e: the total of scope 1 and 2 as the table prints it.
    assert "209,714.77" in text and any(",209714.77," in row for row in rows)


# ---------------------------------------------------------------- PDF/UA-1 structure


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_5_every_th_has_a_scope(sample: Sample, edition: str) -> None:
    pdf = open_pdf(sample, edition)  # held: its objects die with it
    ths = [e for e in struct_elems(pdf) if e.S == "/TH"]
    assert len(ths) > 100
    assert all("/A" in th and th.A.get("/Scope") in ("/Row", "/Column", "/Both") for th in ths)
    assert {str(th.A.Scope) for th in ths} == {"/Row", "/Column"}


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_1_all_tagged_content_is_in_the_structure_tree(
    sample: Sample, edition: str
) -> None:
    """Content is either an artifact or belongs to a reachable structure element."""
    pdf = open_pdf(sample, edition)
    live = reachable(pdf)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    orphans = 0
    for index, page in enumerate(pdf.pages):
        mapping = tree.get(int(page.get("/StructParents", index)))
        for inst in pikepdf.parse_content_stream(page):
            if str(inst.operator) != "BDC":
                continue
            tag, props = inst.operands
            if tag == "/Artifact":
                continue
            mcid = int(props.MCID)
            elem = mapping[mcid]
            if not isinstance(elem, pikepdf.Dictionary) or elem.objgen not in live:
                orphans += 1
    assert orphans == 0


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_8_running_heads_and_page_numbers_are_artifacts(
    sample: Sample, edition: str
) -> None:
    pdf = open_pdf(sample, edition)
    page = pdf.pages[1]  # the contents page: a running head with page number 111
    depth, artifact_text = 0, []
    artifact = False
    for inst in pikepdf.parse_content_stream(page):
        op = str(inst.operator)
        if op in ("BDC", "BMC"):
            depth += 1
            if depth == 1:
                artifact = inst.operands[0] == "/Artifact"
        elif op == "EMC":
            depth -= 1
        elif op in ("Tj", "TJ") and artifact:
            artifact_text.append(op)
    assert artifact_text, "the running head of page 111 is not drawn inside an /Artifact"


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_18_5_links_are_described_by_their_target(
    sample: Sample, edition: str
) -> None:
    pdf = open_pdf(sample, edition)
    dests = {str(k) for k in list(pdf.Root.Names.Dests.Names)[0::2]}
    described = 0
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            contents = str(annot.get("/Contents", ""))
            assert contents.strip(), "a link annotation without a description"
            assert contents not in dests or contents == "contents", contents
            described += 1
    assert described > 100


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_4_2_no_h1_inside_another_h1(sample: Sample, edition: str) -> None:
    pdf = open_pdf(sample, edition)
    nested = 0
    for elem in struct_elems(pdf):
        if elem.S != "/H1":
            continue
        parent = elem.get("/P")
        while parent is not None and parent.get("/Type") == "/StructElem":
            if parent.get("/S") == "/H1":
                nested += 1
                break
            parent = parent.get("/P")
    assert nested == 0


# ---------------------------------------------------------------- navigation


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso32000_12_4_2_page_labels_equal_the_printed_numbers(
    sample: Sample, edition: str
) -> None:
    pdf_path = sample.pdfs[edition]
    labels = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pdf = pikepdf.open(pdf_path)
    assert int(pdf.Root.PageLabels.Nums[0]) == 0
    style = pdf.Root.PageLabels.Nums[1]
    assert style.S == "/D" and int(style.St) == FIRST_PAGE
    checked = 0
    for index, text in enumerate(text_pages(pdf_path)):
        lines = [line.split() for line in text.splitlines() if line.strip()]
        if index == 0 or not lines:
            continue  # the cover and blank pages print no number
        printed = lines[0][0] if (FIRST_PAGE + index) % 2 == 0 else lines[0][-1]
        assert printed == str(FIRST_PAGE + index), (index, lines[0])
        checked += 1
    assert checked > 50 and "Pages:" in labels


@pytest.mark.parametrize("edition", EDITIONS)
def test_urls_and_email_addresses_are_links(sample: Sample, edition: str) -> None:
    pdf = open_pdf(sample, edition)
    uris = {
        str(a.A.URI)
        for page in pdf.pages
        for a in page.get("/Annots", [])
        if "/A" in a and a.A.get("/S") == "/URI"
    }
    assert {
        "https://www.mi.com/csr",
        "https://trust.mi.com",
        "https://privacy.mi.com",
        "mailto:mi-esg@xiaomi.com",
        "mailto:tousu@xiaomi.com",
    } <= uris


# ---------------------------------------------------------------- fonts


def to_unicode(font: Any) -> dict[int, str]:
    """Glyph code → text of a (subset, Identity-H) font, from its ToUnicode CMap."""
    if "/ToUnicode" not in font:
        return {}
    cmap = bytes(font.ToUnicode.read_bytes()).decode("latin-1")
    codes: dict[int, str] = {}

    def decode(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(src, 16)] = decode(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = ord(decode(dst)[0])
            for i in range(int(hi, 16) - int(lo, 16) + 1):
                codes[int(lo, 16) + i] = chr(start + i)
    return codes


def shown_text_by_font(pdf: Any) -> dict[str, set[str]]:
    """Characters each font shows in the text of the pages (figures left out).

    Text inside a /Figure marked-content sequence (the charts' SVGs) is left
    out: the charts carry their own font stack, set by the charts module
    (see docs/print.md).
    """
    maps: dict[tuple[int, int], dict[int, str]] = {}
    out: dict[str, set[str]] = {}
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        current = None
        stack: list[str] = []
        for inst in pikepdf.parse_content_stream(page):
            op = str(inst.operator)
            if op in ("BDC", "BMC"):
                stack.append(str(inst.operands[0]))
            elif op == "EMC" and stack:
                stack.pop()
            elif "/Figure" in stack:
                continue
            elif op == "Tf":
                current = fonts[str(inst.operands[0])]
                if current.objgen not in maps:
                    maps[current.objgen] = to_unicode(current)
            elif op in ("Tj", "TJ") and current is not None:
                items = inst.operands[0] if op == "TJ" else [inst.operands[0]]
                raw = b"".join(bytes(i) for i in items if isinstance(i, pikepdf.String))
                codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                chars = {maps[current.objgen].get(c, "") for c in codes}
                out.setdefault(str(current.BaseFont), set()).update(chars)
    return out


LATIN = re.compile(r"[A-Za-z0-9'\"‘’“”.,;:!?()\-]")


def test_latin_glyphs_of_the_en_edition_come_from_a_latin_font(sample: Sample) -> None:
    pdffonts = subprocess.run(
        ["pdffonts", str(sample.pdfs["en"])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^[A-Z]{6}\+Noto-Sans\s", pdffonts, re.M), pdffonts
    pdf = open_pdf(sample, "en")
    shown = shown_text_by_font(pdf)
    cjk = {c for name, chars in shown.items() if "CJK" in name for c in chars}
    latin = {c for name, chars in shown.items() if "CJK" not in name for c in chars}
    assert not {c for c in cjk if LATIN.fullmatch(c)}, sorted(cjk)
    assert {"’", "“", "”", "A", "z", "0"} <= latin


@pytest.mark.parametrize("edition", ["zh-Hant", "zh-Hans"])
def test_latin_letters_of_the_chinese_editions_come_from_a_latin_font(
    sample: Sample, edition: str
) -> None:
    pdf = open_pdf(sample, edition)
    shown = shown_text_by_font(pdf)
    cjk = {c for name, chars in shown.items() if "CJK" in name for c in chars}
    assert not {c for c in cjk if re.fullmatch(r"[A-Za-z0-9]", c)}, sorted(cjk)
    latin = {c for name, chars in shown.items() if "CJK" not in name for c in chars}
    assert {"E", "S", "G", "2", "0"} <= latin


# ---------------------------------------------------------------- determinism, variants


def test_two_builds_give_identical_bytes(sample: Sample, tmp_path: Path) -> None:
    root = tmp_path / "again"
    shutil.copytree(sample.root, root, ignore=shutil.ignore_patterns("dist"))
    again = build(root, ("en",), force=True)["en"]
    assert again.read_bytes() == sample.pdfs["en"].read_bytes()


def test_the_pdfa3b_variant_is_written_beside_the_finished_file() -> None:
    from esgpress.pdf.finish import variant_path

    path = Path("dist/x-2024-en.pdf")
    assert variant_path(path, "pdf/ua-1") == path
    assert variant_path(path, "pdf/a-3b") == Path("dist/x-2024-en-a3b.pdf")
