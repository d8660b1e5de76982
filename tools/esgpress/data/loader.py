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
import weakref
from dataclasses import replace
from pathlib import Path

from esgpress.core.errors import EsgError, Problems
from esgpress.core.fingerprints import cache_path, data_fingerprint, enabled
from esgpress.core.resources import toolkit_path
from esgpress.core.sealed import keep, kept
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
    """Load and validate (see :func:`load_checked`); raise :class:`EsgError` on any error."""
    problems = Problems()
    dataset = load_checked(root, problems)
    problems.raise_if_errors()
    if dataset is None:  # every path to None records a problem; this is a safety net
        raise EsgError("data/: the data set could not be loaded")
    return dataset, problems


def load_checked(root: Path, problems: Problems) -> Dataset | None:
    """Load ``root/data`` as :func:`load_dataset` does, reusing the last run's data set.

    A data set that loaded without errors is kept in ``build/cache/dataset``
    (sealed, :mod:`esgpress.core.sealed`) under the fingerprint of ``data/``
    and the toolkit, with its warnings: the next command that finds the same
    files skips parsing and checking (1.5 s of every command for the sample).
    Files the data names outside ``data/`` (archive reports, policies) are
    checked again on reuse. A data set with errors is never kept, so every
    run reports them.
    """
    fingerprint = data_fingerprint(root) if enabled() else ""
    reused = _kept_dataset(root, fingerprint) if fingerprint else None
    if reused is not None:
        problems.extend(reused[1])
        _remember(root, reused[0])
        return reused[0]
    found = Problems()
    dataset = load_dataset(root, found)
    problems.extend(found)
    if dataset is not None and not found.errors:
        path = cache_path(root, "dataset") if fingerprint else None
        if path is not None:
            keep(path, fingerprint, (dataset, found))
        _remember(root, dataset)
    return dataset


def _remember(root: Path, dataset: Dataset) -> None:
    _LOADED[id(dataset)] = (weakref.ref(dataset), root.resolve())
    weakref.finalize(dataset, _LOADED.pop, id(dataset), None)  # gone with the data set


def as_loaded(dataset: Dataset) -> bool:
    """Tell whether ``dataset`` is exactly what :func:`load_project` returned from ``data/``.

    Caches that outlive the process (the chapter renders in ``build/cache``)
    may be keyed by the fingerprint of ``data/`` only for such a data set: one
    built or changed in memory (a test, an import preview) is not described
    by the files.
    """
    return loaded_root(dataset) is not None


def loaded_root(dataset: Dataset) -> Path | None:
    """Return the project folder ``dataset`` was loaded from, if it is as loaded (else None)."""
    held = _LOADED.get(id(dataset))
    return held[1] if held is not None and held[0]() is dataset else None


#: The data sets load_project returned, by id: a weak reference and the project folder.
_LOADED: dict[int, tuple[weakref.ref[Dataset], Path]] = {}


def _kept_dataset(root: Path, fingerprint: str) -> tuple[Dataset, Problems] | None:
    """Return the data set kept for ``fingerprint`` if the files it names are all still there."""
    where = cache_path(root, "dataset")
    value = kept(where, fingerprint) if where is not None else None
    if not isinstance(value, tuple) or len(value) != 2:
        return None
    dataset, problems = value
    if not isinstance(dataset, Dataset) or not isinstance(problems, Problems):
        return None
    base = root.resolve()
    for path in published_paths(dataset):
        try:
            target = (base / path).resolve()
        except (OSError, RuntimeError):
            return None
        if not (target.is_relative_to(base) and target.is_file()):
            return None  # load again, which reports the missing file
    return dataset, problems


def published_paths(dataset: Dataset) -> list[str]:
    """Every project file the data set names outside ``data/`` (archive reports, policies)."""
    pubs = dataset.publications
    files = [f for year in pubs.archive for f in (*year.reports, *year.data)]
    files += pubs.policies
    return [f.path for f in files if f.path is not None]
