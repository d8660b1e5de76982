"""Finish a laid-out edition into one file that is PDF/UA-1 and PDF/A-3 at once.

Longer than 400 lines because it is one concern: every repair the two
standards need after layout, in the one pass over the file that makes them.

WeasyPrint 70 writes either a tagged PDF/UA-1 file or a PDF/A-3 file, never
both. The print edition is laid out as ``pdf/ua-1`` (tagged, with the UA
identification in XMP) and this module adds, with pikepdf, what PDF/A-3
(ISO 19005-3) asks for and what WeasyPrint leaves out:

* XMP declaring ``pdfaid:part=3``/``conformance=B`` next to ``pdfuaid:part=1``,
  with the PDF/A extension schema that declares the ``pdfuaid`` namespace
  (6.6.2.3.1: properties outside the predefined schemas need one);
* an sRGB output intent (6.2.3) from WeasyPrint's own ``sRGB2014.icc`` (the
  ICC's profile, free to copy and embed unaltered);
* the KPI data as associated files (6.8, Annex E): CSV and XLSX from the
  export (:mod:`esgpress.workflows.export`), rounded as the tables print,
  ``/AFRelationship /Data``, listed in the catalog's ``/AF``;
* the Print flag on every annotation (6.3.2), a trailer ``/ID`` (6.1.3);
* page labels equal to the printed page numbers (``print.first_page``);
* structure repairs for PDF/UA-1: ``/Scope`` on every TH (7.5), link
  annotations described by the target heading's text (7.18.5), and the
  running heads and page numbers (margin boxes, which WeasyPrint tags but
  leaves out of the structure tree) turned into pagination artifacts (7.1);
  footnotes as ``Note`` with references and leaders as artifacts
  (:mod:`esgpress.pdf.tagging`).

Everything depends on the inputs only: dates come from the report's
publication date and the ``/ID`` from the content, so two builds give the
same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from datetime import date
from html import unescape
from importlib.resources import files
from pathlib import Path
from typing import Any

from esgpress.core.files import write_atomic
from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.pdf.tagging import leaders_as_artifacts, note_key, tag_notes

#: The variant whose files are finished here; ``pdf/a-3b`` stays WeasyPrint's own.
FINISHED_VARIANT = "pdf/ua-1"

#: What the finished file declares in XMP (conformance B: see docs/print.md).
PDFA_PART, PDFA_CONFORMANCE, PDFUA_PART = 3, "B", 1

#: The finishing inputs of one edition, written beside its print HTML.
SPEC_NAME = "finish.json"

#: Subfolder of ``build/print/<edition>/`` holding the files to attach.
ATTACHED = "attached"

#: The KPI data attached to the file: export format, MIME type, description.
ATTACHMENTS: tuple[tuple[str, str, str], ...] = (
    ("csv", "text/csv", "KPI data of this report, one figure a row (CSV, UTF-8)"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "KPI data of this report, one sheet per topic (XLSX)",
    ),
)

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}

HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


@dataclass(frozen=True)
class FinishSpec:
    """What finishing needs besides the PDF (plain data, written as JSON)."""

    first_page: int
    date: str
    attachments: list[tuple[str, str, str]]
    headings: dict[str, str]


#: A table with an id of its own (the content index links to it) and its caption.
CAPTIONED = re.compile(r'id="([^"]+)"[^>]*>\s*<table[^>]*>\s*<caption[^>]*>(.*?)</caption>', re.S)


#: A footnote as placed in print (esgpress/pdf/footnotes.py); one level of nested spans.
NOTE = re.compile(
    r'<span class="footnote" id="(fn-\d+)"[^>]*>'
    r"((?:[^<]|<(?!/?span\b)[^>]*>|<span\b[^>]*>[^<]*</span>)*)</span>"
)


def heading_texts(html: str) -> dict[str, str]:
    """Link target id → its text as printed (headings; tables by caption; notes by text)."""
    out = {
        key: " ".join(unescape(re.sub(r"<[^>]*>", "", b)).split()) for key, b in NOTE.findall(html)
    }
    for key, body in [(k, b) for _l, k, b in HEADING.findall(html)] + CAPTIONED.findall(html):
        body = re.sub(r'<span class="footnote".*?</span>|<sup[^>]*>.*?</sup>', "", body, flags=re.S)
        out[key] = " ".join(unescape(re.sub(r"<[^>]*>", "", body)).split())
    return out


def variant_path(path: Path, variant: str) -> Path:
    """Where a variant's PDF goes: the finished one under the edition's name, others beside it.

    ``--variant pdf/a-3b`` used to overwrite the tagged files under the same
    names; it now writes ``<name>-a3b.pdf``.
    """
    if variant == FINISHED_VARIANT:
        return path
    return path.with_name(f"{path.stem}-{variant.split('/')[-1].replace('-', '')}{path.suffix}")


def write_finish_inputs(
    folder: Path, dataset: Dataset, edition: str, html: str, first_page: int | None = None
) -> Path:
    """Write the KPI exports and ``finish.json`` into ``folder``; return the spec's path.

    Written before layout so that the up-to-date stamp can hash them
    (:func:`finish_inputs`). ``first_page`` overrides ``print.first_page``
    (the executive summary is numbered from 1).
    """
    from esgpress.workflows.export import export_bytes

    loc = Localizer(dataset, edition)
    first_page = dataset.report.print.first_page if first_page is None else first_page
    (folder / ATTACHED).mkdir(parents=True, exist_ok=True)
    attachments = []
    for fmt, mime, description in ATTACHMENTS:
        path = folder / ATTACHED / f"kpis.{fmt}"
        data = export_bytes(dataset, loc, fmt)  # type: ignore[arg-type]
        write_atomic(path, data, only_if_changed=True)
        attachments.append((f"{ATTACHED}/{path.name}", mime, description))
    published = dataset.report.published or date(dataset.report.year + 1, 1, 1)
    spec = FinishSpec(first_page, published.isoformat(), attachments, heading_texts(html))
    out = folder / SPEC_NAME
    write_atomic(out, json.dumps(asdict(spec), ensure_ascii=False, sort_keys=True))
    return out


def finish_inputs(folder: Path) -> list[Path]:
    """List the files finishing reads (hashed into the edition's up-to-date stamp)."""
    return [folder / SPEC_NAME] + [folder / ATTACHED / f"kpis.{fmt}" for fmt, _m, _d in ATTACHMENTS]


def read_spec(folder: Path) -> FinishSpec:
    """Read ``finish.json`` back."""
    raw = json.loads((folder / SPEC_NAME).read_text(encoding="utf-8"))
    return FinishSpec(
        int(raw["first_page"]),
        str(raw["date"]),
        [(str(a[0]), str(a[1]), str(a[2])) for a in raw["attachments"]],
        dict(raw["headings"]),
    )


# ---------------------------------------------------------------- the steps


def pdf_date(iso: str) -> str:
    """``2025-03-31`` → ``D:20250331000000Z`` (PDF date string, UTC)."""
    return "D:" + iso.replace("-", "") + "000000Z"


def srgb_profile() -> bytes:
    """Read the sRGB IEC61966-2.1 profile WeasyPrint ships (ICC's sRGB2014, freely embeddable)."""
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def add_output_intent(pdf: Any) -> None:
    """ISO 19005-3 6.2.3: one PDF/A output intent with an embedded ICC profile."""
    import pikepdf

    profile = pdf.make_stream(srgb_profile())
    profile.N = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


def attach_files(pdf: Any, folder: Path, spec: FinishSpec) -> None:
    """ISO 19005-3 6.8 / Annex E: the KPI data as associated files in the catalog's /AF."""
    import pikepdf

    when = pikepdf.String(pdf_date(spec.date))
    names = pikepdf.Array()
    specs = pikepdf.Array()
    for rel, mime, description in sorted(spec.attachments):
        data = (folder / rel).read_bytes()
        name = Path(rel).name
        stream = pdf.make_stream(data)
        stream.Type = pikepdf.Name.EmbeddedFile
        stream.Subtype = pikepdf.Name("/" + mime)
        stream.Params = pikepdf.Dictionary(
            Size=len(data),
            CheckSum=pikepdf.String(hashlib.md5(data, usedforsecurity=False).digest()),
            CreationDate=when,
            ModDate=when,
        )
        filespec = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Filespec,
                F=pikepdf.String(name),
                UF=pikepdf.String(name),
                Desc=pikepdf.String(description),
                AFRelationship=pikepdf.Name.Data,
                EF=pikepdf.Dictionary(F=stream, UF=stream),
            )
        )
        names.extend([pikepdf.String(name), filespec])
        specs.append(filespec)
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.EmbeddedFiles = pikepdf.Dictionary(Names=names)
    pdf.Root.AF = specs
    pdf.Root.PageMode = pikepdf.Name.UseOutlines


def set_page_labels(pdf: Any, first_page: int) -> None:
    """Page labels = the printed numbers: PDF page 1 is ``first_page`` (decimal)."""
    import pikepdf

    style = pikepdf.Dictionary(S=pikepdf.Name.D, St=first_page)
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([0, style]))


def _reachable(root: Any) -> set[tuple[int, int]]:
    """Object ids of the structure elements reachable from the StructTreeRoot."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    todo = [root.K] if "/K" in root else []
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Array):
            todo.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in seen:
            seen.add(node.objgen)
            if "/K" in node:
                todo.append(node.K)
    return seen


def repair_structure(pdf: Any, spec: FinishSpec) -> dict[str, int]:
    """TH scope, link descriptions, margin boxes as artifacts; return counts of what changed."""
    import pikepdf

    counts = {"scope": 0, "links": 0, "artifacts": 0}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return counts
    reachable = _reachable(root)
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/StructElem":
            continue
        if obj.get("/S") == "/TH":
            attrs = obj.get("/A")
            if attrs is None:
                attrs = obj.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
            row = obj.get("/P")
            group = row.get("/P") if row is not None else None
            in_head = group is not None and group.get("/S") == "/THead"
            has_cells = row is not None and any(
                isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/TD"
                for k in row.get("/K", [])
            )
            attrs.Scope = pikepdf.Name.Row if has_cells and not in_head else pikepdf.Name.Column
            counts["scope"] += 1
    # Link annotations: /Contents is the raw anchor id; say where the link goes.
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            annot.F = 4  # Print (ISO 19005-3 6.3.2)
            dest = annot.get("/Dest")
            key = note_key(str(dest)) if isinstance(dest, pikepdf.String) else ""
            if key in spec.headings:
                annot.Contents = pikepdf.String(spec.headings[key])
                counts["links"] += 1
            elif "/A" in annot and annot.A.get("/S") == "/URI":
                annot.Contents = pikepdf.String(str(annot.A.URI).removeprefix("mailto:"))
    counts["artifacts"] = _margin_boxes_as_artifacts(pdf, root, reachable)
    return counts


def _margin_boxes_as_artifacts(pdf: Any, root: Any, reachable: set[tuple[int, int]]) -> int:
    """Mark content whose structure element is unreachable (the margin boxes) as artifacts.

    WeasyPrint tags the running heads and page numbers like body text but
    links their elements to nothing (artifacts in the structure tree are a
    PDF 2.0 feature); PDF/UA-1 7.1 wants them as ``/Artifact`` marked
    content. Their ``ParentTree`` entries are emptied.
    """
    import pikepdf

    parent_tree = root.get("/ParentTree")
    if parent_tree is None or "/Nums" not in parent_tree:
        return 0
    nums = parent_tree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    changed = 0
    artifact = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    for index, page in enumerate(pdf.pages):
        mapping = by_key.get(int(page.get("/StructParents", index)))
        if not isinstance(mapping, pikepdf.Array):
            continue
        dead = {
            mcid
            for mcid, elem in enumerate(mapping)
            if isinstance(elem, pikepdf.Dictionary) and elem.objgen not in reachable
        }
        if not dead:
            continue
        ops = pikepdf.parse_content_stream(page)
        out: list[Any] = []
        for inst in ops:
            operands = inst.operands
            if str(inst.operator) == "BDC" and len(operands) == 2:
                props = operands[1]
                if isinstance(props, pikepdf.Dictionary) and int(props.get("/MCID", -1)) in dead:
                    out.append(([pikepdf.Name.Artifact, artifact], pikepdf.Operator("BDC")))
                    changed += 1
                    continue
            out.append(inst)
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
        for mcid in dead:
            mapping[mcid] = pikepdf.Object.parse(b"null")
    return changed


def _xmp_extension(rdf: ET.Element) -> None:
    """Declare the pdfuaid schema (ISO 19005-3 6.6.2.3.1) in a pdfaExtension description."""
    r, ext, sch, prop = (NS[k] for k in ("rdf", "pdfaExtension", "pdfaSchema", "pdfaProperty"))
    desc = ET.SubElement(rdf, f"{{{r}}}Description", {f"{{{r}}}about": ""})
    bag = ET.SubElement(ET.SubElement(desc, f"{{{ext}}}schemas"), f"{{{r}}}Bag")
    schema = ET.SubElement(bag, f"{{{r}}}li", {f"{{{r}}}parseType": "Resource"})
    ET.SubElement(schema, f"{{{sch}}}schema").text = "PDF/UA Universal Accessibility Schema"
    ET.SubElement(schema, f"{{{sch}}}namespaceURI").text = NS["pdfuaid"]
    ET.SubElement(schema, f"{{{sch}}}prefix").text = "pdfuaid"
    seq = ET.SubElement(ET.SubElement(schema, f"{{{sch}}}property"), f"{{{r}}}Seq")
    item = ET.SubElement(seq, f"{{{r}}}li", {f"{{{r}}}parseType": "Resource"})
    ET.SubElement(item, f"{{{prop}}}name").text = "part"
    ET.SubElement(item, f"{{{prop}}}valueType").text = "Integer"
    ET.SubElement(item, f"{{{prop}}}category").text = "internal"
    ET.SubElement(item, f"{{{prop}}}description").text = "Indicates which PDF/UA part"


def write_xmp(pdf: Any) -> None:
    """XMP with both identifications: pdfaid part 3 (+conformance) and pdfuaid part 1."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    raw = bytes(pdf.Root.Metadata.read_bytes()) if "/Metadata" in pdf.Root else b""
    match = re.search(rb"<rdf:RDF.*</rdf:RDF>", raw, re.S)
    rdf = ET.fromstring(match.group(0)) if match else ET.Element(f"{{{NS['rdf']}}}RDF")
    r = NS["rdf"]
    for desc in rdf.findall(f"{{{r}}}Description"):
        for key in list(desc.attrib):
            if key.startswith((f"{{{NS['pdfaid']}}}", f"{{{NS['pdfuaid']}}}")):
                del desc.attrib[key]
    ident = ET.Element(f"{{{r}}}Description", {f"{{{r}}}about": ""})
    ident.set(f"{{{NS['pdfaid']}}}part", str(PDFA_PART))
    ident.set(f"{{{NS['pdfaid']}}}conformance", PDFA_CONFORMANCE)
    ident.set(f"{{{NS['pdfuaid']}}}part", str(PDFUA_PART))
    rdf.insert(0, ident)
    _xmp_extension(rdf)
    body = ET.tostring(rdf, encoding="utf-8", xml_declaration=False)
    packet = (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + body + b"</x:xmpmeta>\n"
        b'<?xpacket end="w"?>'
    )
    import pikepdf

    stream = pdf.make_stream(packet)  # uncompressed: readable by any XMP scanner
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = stream


def finish_pdf(data: bytes, folder: Path) -> tuple[bytes, dict[str, int]]:
    """Finish the PDF ``data`` from the inputs in ``folder``; return it and the repair counts.

    Bytes in, bytes out: the caller writes the file once, through
    :func:`esgpress.core.files.write_atomic` like every other output.
    """
    import io

    import pikepdf

    spec = read_spec(folder)
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        write_xmp(pdf)
        add_output_intent(pdf)
        attach_files(pdf, folder, spec)
        set_page_labels(pdf, spec.first_page)
        counts = repair_structure(pdf, spec)
        counts |= tag_notes(pdf) | {"leaders": leaders_as_artifacts(pdf)}
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue(), counts
