"""Load ``data/`` into a :class:`~esgpress.data.model.Dataset`, collecting every problem.

This module orchestrates; each input file has its own module, named for what
it loads: :mod:`~esgpress.data.load_report` (``report.yaml`` with its
``print:`` and ``site:`` blocks), :mod:`~esgpress.data.load_units`
(``units.yaml``), :mod:`~esgpress.data.load_kpis` and
:mod:`~esgpress.data.load_indicators` (``kpis.yaml``),
:mod:`~esgpress.data.load_derived` (derived figures, implied relations).

Every file is read and checked even when another one is broken, so one run
lists every problem of every file; a file's problems are reported once. The
loader never raises for a user mistake: problems are collected and
:func:`load_project` raises one :class:`~esgpress.core.errors.EsgError` at the
end. Nothing past the loader sees a YAML node: settings are typed
(:class:`~esgpress.data.model.PrintSettings`,
:class:`~esgpress.data.model.SiteSettings`).
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from esgpress.core.errors import EsgError, Problems
from esgpress.core.resources import toolkit_path
from esgpress.data.load_archive import load_publications
from esgpress.data.load_frameworks import load_frameworks
from esgpress.data.load_glossary import load_project_glossary
from esgpress.data.load_kpis import KpiLoader
from esgpress.data.load_qualifiers import load_qualifiers
from esgpress.data.load_report import load_report, resolve_headline
from esgpress.data.load_topics import load_components
from esgpress.data.load_units import load_units
from esgpress.data.model import Dataset, Unit
from esgpress.data.yamlio import Document, parse_text, read_document

#: The data files every build reads, in the order they are loaded.
DATA_FILES = ("report", "units", "kpis")


def read_data_files(root: Path, problems: Problems, kpis_text: str | None) -> dict[str, Document]:
    """Read and parse each data file; an empty file is a problem (reported once per file)."""
    docs = {
        name: read_document(root / "data" / f"{name}.yaml", f"data/{name}.yaml", problems)
        for name in DATA_FILES
        if (name != "kpis" or kpis_text is None)
        and (name != "units" or (root / "data" / "units.yaml").is_file())
    }
    if kpis_text is not None:
        kpis = parse_text(kpis_text, "data/kpis.yaml", problems)
        docs["kpis"] = Document("data/kpis.yaml", kpis, kpis_text.split("\n"))
    for doc in docs.values():
        if doc.root is None and not any(p.path == doc.path for p in problems.errors):
            problems.add(doc.path, 0, 0, "the file is empty")
    return docs


def load_dataset(root: Path, problems: Problems, kpis_text: str | None = None) -> Dataset | None:
    """Load ``root/data``; ``None`` when a file cannot be loaded (``problems`` say why).

    ``kpis_text`` stands in for ``data/kpis.yaml``, so an import can load the
    file it is about to write before it writes it. Each file is loaded even
    when an earlier one failed, so its problems are listed in the same run.
    """
    docs = read_data_files(root, problems, kpis_text)
    report = load_report(docs["report"], problems)
    units = unit_catalogue(docs.get("units"), problems)
    glossary = load_project_glossary(root, problems)
    frameworks = load_frameworks(root, problems)
    qualifiers = load_qualifiers(root, problems)
    kpis = KpiLoader(docs["kpis"], report.report if report else None, units, problems)
    kpis.qualifiers = tuple(qualifiers)
    dataset = kpis.load()
    if report is not None and kpis.indicators is not None:
        checked = resolve_headline(report, kpis.indicators)
        dataset = replace(dataset, report=checked) if dataset is not None else None
    if dataset is None:
        return None
    components = load_components(root, docs["report"], dataset.indicators, problems)
    publications = load_publications(root, docs["report"], problems)
    return replace(
        dataset,
        glossary=glossary,
        frameworks=frameworks,
        components=components,
        qualifiers=qualifiers,
        publications=publications,
    )


def unit_catalogue(project: Document | None, problems: Problems) -> dict[str, Unit] | None:
    """Load the toolkit's unit catalogue, extended (unit by unit) by the project's."""
    toolkit = dict(_toolkit_units())
    if project is None:
        return toolkit
    mine = load_units(project, problems, toolkit)
    return None if mine is None else {**toolkit, **mine}


@functools.cache
def _toolkit_units() -> dict[str, Unit]:
    """Read the toolkit's catalogue once per process (package data does not change)."""
    problems = Problems()
    doc = read_document(toolkit_path("units.yaml"), "esgpress:units.yaml", problems)
    units = load_units(doc, problems) or {}
    problems.raise_if_errors()  # a broken installation, not a user mistake
    return units


def load_project(root: Path) -> tuple[Dataset, Problems]:
    """Load and validate; raise :class:`EsgError` if there is any error."""
    problems = Problems()
    dataset = load_dataset(root, problems)
    problems.raise_if_errors()
    if dataset is None:  # every path to None records a problem; this is a safety net
        raise EsgError("data/: the data set could not be loaded")
    return dataset, problems
