"""The toolkit's own files (package data), found with :mod:`importlib.resources`.

A project needs none of them to build: the print and site templates, the unit
catalogue, the Hong Kong house glossary, the jieba dictionary and the
framework catalogues ship inside the package (``esgpress/resources/``), so a
wheel installed anywhere works. A project file of the same name extends or
replaces each one; :func:`in_force` says which is used, for ``esgpress check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


def toolkit_path(*parts: str) -> Path:
    """Return the path of a file or folder of the toolkit's package data.

    The package is installed as plain files (wheel or editable), never
    zipped, so the traversable is a real path that Jinja, MkDocs and
    WeasyPrint can read directly.
    """
    return Path(str(files("esgpress").joinpath("resources", *parts)))


@dataclass(frozen=True)
class Source:
    """Which file of one kind is in force: the toolkit's, the project's, or both."""

    kind: str
    toolkit: Path | None
    project: Path | None
    #: ``extends`` (the project adds to the toolkit's), ``overrides`` (file by
    #: file, for template folders) or ``replaces``.
    mode: str

    def describe(self, root: Path) -> str:
        """One line for ``esgpress check``: the kind and the file(s) in force."""
        mine = self.project.relative_to(root).as_posix() if self.project else None
        if mine and self.mode == "extends":
            return f"{self.kind}: the toolkit's, extended by {mine}"
        if mine and self.mode == "overrides":
            return f"{self.kind}: the toolkit's, with the files of {mine} overriding theirs"
        if mine:
            return f"{self.kind}: {mine} (replaces the toolkit's)"
        return f"{self.kind}: the toolkit's ({self.toolkit})"


#: Each overridable kind: (project path, toolkit path, mode).
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "unit catalogue": ("data/units.yaml", ("units.yaml",), "extends"),
    "glossary": ("data/glossary.yaml", ("glossary.yaml",), "extends"),
    "framework catalogues": ("data/frameworks.yaml", ("frameworks.yaml",), "replaces"),
    "qualifier words": ("data/qualifiers.yaml", ("qualifiers.yaml",), "extends"),
    "search dictionary": ("data/jieba_user_dict.txt", ("jieba_user_dict.txt",), "extends"),
    "print templates": ("templates/print", ("templates", "print"), "overrides"),
    "site templates": ("templates/site", ("templates", "site"), "overrides"),
}


def in_force(root: Path) -> list[Source]:
    """Every overridable kind with the files in force for the project at ``root``."""
    out = []
    for kind, (project, toolkit, mode) in KINDS.items():
        mine = root / project
        out.append(Source(kind, toolkit_path(*toolkit), mine if mine.exists() else None, mode))
    return out
