"""``esgpress new DIR``: a minimal project that checks and builds at once.

The skeleton lives in the package data (``esgpress/resources/new/``): a
commented ``data/report.yaml`` and ``data/kpis.yaml`` (placeholder figures and
a short example of each data feature), one chapter per source language, a
``mkdocs.yml`` whose languages are the chosen editions, a README with the two
commands and a ``.gitignore``. Nothing comes from the repository's sample.
The Chinese files are written in the chosen source script: a Traditional
project gets the skeleton converted with the toolkit's house glossary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from esgpress.core.errors import EsgError, Problems
from esgpress.core.files import write_atomic
from esgpress.core.resources import toolkit_path
from esgpress.data.load_glossary import load_house_glossary
from esgpress.data.model import DEFAULT_ACCENT, EDITIONS, SourceScript
from esgpress.editions.converter import Converter
from esgpress.editions.glossary import Glossary

#: Site names per edition in the generated ``mkdocs.yml`` (the plugin replaces them).
SITE_NAMES = {
    "zh-Hant": "環境、社會及管治報告",
    "zh-Hans": "环境、社会及管治报告",
    "en": "ESG Report",
}
LANGUAGE_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}


@dataclass(frozen=True)
class NewProject:
    """What ``esgpress new`` was asked for, validated by :func:`parse_editions` and the CLI."""

    company_zh: str
    company_en: str
    year: int
    editions: tuple[str, ...] = EDITIONS
    default_edition: str | None = None
    source_script: SourceScript = "simplified"


def parse_editions(text: str) -> tuple[str, ...]:
    """Read ``zh-Hant,en`` into editions; an unknown or repeated name is an error."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in EDITIONS]
    if unknown or not names:
        raise EsgError(
            f"--editions: unknown edition '{unknown[0] if unknown else text}'; "
            f"give a comma-separated list of {', '.join(EDITIONS)}"
        )
    if len(set(names)) != len(names):
        raise EsgError(f"--editions: an edition is listed twice in '{text}'")
    return tuple(names)


def slug_of(name: str, year: int) -> str:
    """Make a file-name slug from the English company name (``Acme Group`` → ``acme-group-esg``)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "-".join([*words[:3], "esg"]) if words else f"esg-{year}"


def _files(spec: NewProject) -> dict[str, str]:
    """Return the project's files, relative path → text, filled in for ``spec``."""
    default = spec.default_edition or spec.editions[0]
    if default not in spec.editions:
        raise EsgError(
            f"--default-edition {default} is not one of the editions ({', '.join(spec.editions)})"
        )
    languages = "\n".join(
        f"        - locale: {e}\n"
        + ("          default: true\n" if e == default else "")
        + f"          name: {LANGUAGE_NAMES[e]}\n"
        + f"          site_name: {SITE_NAMES[e]}"
        for e in spec.editions
    )
    has_zh = any(e.startswith("zh") for e in spec.editions)
    has_en = "en" in spec.editions
    folders = [f for f, needed in (("content/zh", has_zh), ("content/en", has_en)) if needed]
    values = {
        "company_zh": spec.company_zh,
        "company_en": spec.company_en,
        "year": str(spec.year),
        "previous": str(spec.year - 1),
        "next": str(spec.year + 1),
        "slug": slug_of(spec.company_en, spec.year),
        "editions": ", ".join(spec.editions),
        "editions_text": ", ".join(spec.editions),
        "default_edition": default,
        "source_script": spec.source_script,
        "accent": DEFAULT_ACCENT,
        "site_name": SITE_NAMES[default],
        "languages": languages,
        "content_text": " (" + ", ".join(folders) + ")",
    }
    skeleton = toolkit_path("new")

    def fill(name: str) -> str:
        return Template((skeleton / name).read_text(encoding="utf-8")).safe_substitute(values)

    files = {
        "data/report.yaml": fill("report.yaml"),
        "data/kpis.yaml": fill("kpis.yaml"),
        "mkdocs.yml": fill("mkdocs.yml"),
        "README.md": fill("README.md"),
        ".gitignore": fill("gitignore"),
    }
    if has_zh:
        files["content/zh/about.md"] = fill("about-zh.md")
    if has_en:
        files["content/en/about.md"] = fill("about-en.md")
    if spec.source_script == "traditional":
        converter = _house_converter()
        for name in ("data/report.yaml", "data/kpis.yaml", "content/zh/about.md"):
            if name in files:
                files[name] = converter.to_hant(files[name])
    return files


def _house_converter() -> Converter:
    """Return a converter with the toolkit's house glossary only (no project exists yet)."""
    return Converter(Glossary.from_entries(load_house_glossary(Problems())))


def create_project(folder: Path, spec: NewProject) -> list[Path]:
    """Write a new project into ``folder`` (absent or empty); return the files written.

    Raises:
        EsgError: ``folder`` holds files already, or the options are wrong.

    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise EsgError(f"{folder}: the folder exists and is not empty; choose a new folder")
    files = _files(spec)
    written = []
    for name, text in files.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
        except OSError as exc:
            raise EsgError(f"{path}: cannot write: {exc.strerror or exc}") from None
        written.append(path)
    return written
