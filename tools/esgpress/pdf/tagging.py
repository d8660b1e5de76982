"""Structure repairs for footnotes and leaders, after layout (PDF/UA-1 7.9, 7.1).

WeasyPrint 70 tags a footnote as a ``Span`` in an untyped group at the end of
its page and the call as an ordinary link, and tags each dot of a dotted
leader (the contents, the content index) as a ``Span`` of its own. This module,
run by :func:`esgpress.pdf.finish.finish_pdf`, makes of them what PDF/UA-1 asks:

* every note is a ``Note`` with a unique ``/ID`` (listed in the structure
  tree's ``/IDTree``), its number a ``Lbl``; every call is a ``Reference``
  holding the ``Link`` to its note (ISO 14289-1 7.9, ISO 32000-1 14.8.4.4);
* leader dots are ``/Artifact`` (``/Layout``) marked content, out of the
  structure tree (ISO 14289-1 7.1: content that is not real content).

How the pieces are found: the print HTML links each call to ``#fn-N`` and
gives the note ``id="fn-N"`` (:mod:`esgpress.pdf.footnotes`), so the link
annotations name their note; the notes of a page are the ``Span`` elements of
its footnote group, in the order their ``fn-N`` destinations stand from the
top. A leader is a ``Link`` element whose marked contents (three or more)
all show the same glyphs.
"""

from __future__ import annotations

import re
from typing import Any

#: A printed note's id: the note itself (fn-N) or its copy beside the K-th call
#: of N on a later page (fn-N-K, made by esgpress/pdf/footnotes.py).
NOTE_ID = re.compile(r"fn-(\d+)(?:-\d+)?")


def note_key(anchor: str) -> str:
    """Return the id of the note an anchor prints (a copy reads as its note); others as given."""
    match = NOTE_ID.fullmatch(anchor)
    return f"fn-{match.group(1)}" if match else anchor


def _kids(elem: Any) -> list[Any]:
    import pikepdf

    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _struct_elems(pdf: Any) -> list[Any]:
    """Every structure element, in document order (depth first)."""
    import pikepdf

    out = []
    todo = list(reversed(_kids(pdf.Root.StructTreeRoot)))
    seen: set[tuple[int, int]] = set()
    while todo:
        node = todo.pop()
        if not (isinstance(node, pikepdf.Dictionary) and "/S" in node) or node.objgen in seen:
            continue
        seen.add(node.objgen)
        out.append(node)
        todo.extend(reversed(_kids(node)))
    return out


def _page_index(pdf: Any) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: i for i, page in enumerate(pdf.pages)}


def tag_notes(pdf: Any) -> dict[str, int]:
    """Make notes ``Note`` elements with IDs and calls ``Reference`` elements; return counts."""
    import pikepdf

    counts = {"notes": 0, "references": 0}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return counts
    pages = _page_index(pdf)
    dests: dict[int, list[tuple[float, str]]] = {}
    for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items():
        if NOTE_ID.fullmatch(name) and isinstance(dest, pikepdf.Array) and len(dest) >= 4:
            index = pages.get(dest[0].objgen)
            if index is not None:
                dests.setdefault(index, []).append((float(dest[3]), name))
    elems = _struct_elems(pdf)
    document = _kids(root)[0] if _kids(root) else None
    groups: dict[int, list[Any]] = {}
    for elem in elems:
        parent = elem.get("/P")
        first = _kids(elem)[:1]
        if (
            elem.S == "/Span"
            and parent is not None
            and parent.get("/S") == "/NonStruct"
            and document is not None
            and parent.get("/P") is not None
            and parent.P.objgen == document.objgen
            and first
            and isinstance(first[0], pikepdf.Dictionary)
            and first[0].get("/S") == "/NonStruct"
            and "/Pg" in elem
        ):
            groups.setdefault(pages.get(elem.Pg.objgen, -1), []).append(elem)
    ids = pikepdf.NameTree.new(pdf)
    for index, notes in groups.items():
        names = [name for _y, name in sorted(dests.get(index, []), key=lambda d: -d[0])]
        if len(names) != len(notes):
            continue  # not a footnote group (or one this reading cannot pair): left as it is
        for elem, name in zip(notes, names, strict=True):
            elem.S = pikepdf.Name.Note
            elem.ID = pikepdf.String(name)
            _kids(elem)[0].S = pikepdf.Name.Lbl
            ids[name] = elem
            counts["notes"] += 1
    if counts["notes"]:
        root.IDTree = ids.obj
    for elem in elems:
        if elem.S != "/Link":
            continue
        for kid in _kids(elem):
            if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"):
                continue
            target = kid.Obj.get("/Dest")
            if isinstance(target, pikepdf.String) and NOTE_ID.fullmatch(str(target)):
                holder = elem.get("/P")
                if holder is not None and holder.get("/S") in ("/NonStruct", "/Span"):
                    holder.S = pikepdf.Name.Reference
                    counts["references"] += 1
    return counts


def _marked_text(page: Any) -> tuple[list[Any], dict[int, bytes]]:
    """Return the page's content instructions and, per MCID, the bytes of the text it shows."""
    import pikepdf

    ops = list(pikepdf.parse_content_stream(page))
    shown: dict[int, bytes] = {}
    stack: list[int] = []
    for inst in ops:
        op = str(inst.operator)
        if op in ("BDC", "BMC"):
            props = inst.operands[1] if op == "BDC" and len(inst.operands) == 2 else None
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append(int(mcid) if mcid is not None else -1)
        elif op == "EMC" and stack:
            stack.pop()
        elif op in ("Tj", "TJ", "'", '"') and stack and stack[-1] >= 0:
            shown[stack[-1]] = shown.get(stack[-1], b"") + inst.operands[-1].unparse()
    return ops, shown


def leaders_as_artifacts(pdf: Any) -> int:
    """Mark the dots of dotted leaders as ``/Artifact`` content; return how many runs."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    pages = _page_index(pdf)
    candidates: dict[int, list[Any]] = {}
    for elem in _struct_elems(pdf):
        ints = sum(1 for k in _kids(elem) if isinstance(k, int))
        if elem.S == "/Link" and "/Pg" in elem and ints >= 3:
            candidates.setdefault(pages.get(elem.Pg.objgen, -1), []).append(elem)
    nums = root.ParentTree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    artifact = pikepdf.Dictionary(Type=pikepdf.Name.Layout)
    changed = 0
    for index, elems in candidates.items():
        if index < 0:
            continue
        page = pdf.pages[index]
        ops, shown = _marked_text(page)
        dots: set[int] = set()
        for elem in elems:
            mcids = [k for k in _kids(elem) if isinstance(k, int)]
            if len({shown.get(m) for m in mcids}) == 1 and shown.get(mcids[0]):
                dots.update(mcids)
                elem.K = pikepdf.Array([k for k in _kids(elem) if not isinstance(k, int)])
        if not dots:
            continue
        out: list[Any] = []
        for inst in ops:
            if str(inst.operator) == "BDC" and len(inst.operands) == 2:
                props = inst.operands[1]
                if isinstance(props, pikepdf.Dictionary) and int(props.get("/MCID", -1)) in dots:
                    out.append(([pikepdf.Name.Artifact, artifact], pikepdf.Operator("BDC")))
                    changed += 1
                    continue
            out.append(inst)
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
        mapping = by_key.get(int(page.get("/StructParents", index)))
        if isinstance(mapping, pikepdf.Array):
            for mcid in dots:
                if mcid < len(mapping):
                    mapping[mcid] = pikepdf.Object.parse(b"null")
    return changed
