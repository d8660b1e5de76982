"""Shared test helpers: project copies in temporary folders, file edits, the golden-file option.

Tests import the helpers directly (``from conftest import copy_project, edit``): every
test that needs a writable project makes it with :func:`copy_project`, and every test
that changes one line of a fixture file does it with :func:`edit`, which fails when the
text to replace is missing (an edit that silently does nothing would let the test pass
for the wrong reason).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from esgpress.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The sample project lives at the repository root; copy it with ``parts=``.
SAMPLE = ROOT
#: Folders a build writes into a project; a copy leaves them behind unless kept.
OUTPUTS = ("build", "dist", "site")


def copy_project(
    source: str | Path,
    dest: Path,
    *,
    parts: Sequence[str] | None = None,
    keep: Sequence[str] = (),
) -> Path:
    """Copy a project into ``dest`` and return ``dest``.

    ``source`` is a fixture name under ``tests/fixtures`` (``"mini"``, ``"print"``,
    ``"site"``, ``"workflows"``) or a project folder (:data:`SAMPLE`, or a project
    another test built). ``parts`` limits the copy to those files and folders,
    e.g. ``("data",)``; ``dest`` may then exist already. The project's output
    folders (:data:`OUTPUTS` at its top level) are not copied unless named in
    ``keep`` (a copy of a built project that should reuse its renders keeps
    ``("build",)``); folders of the same name deeper down (``templates/site``) are.
    """
    src = FIXTURES / source if isinstance(source, str) else source
    if parts is None:
        skip = {name for name in OUTPUTS if name not in keep}
        shutil.copytree(
            src, dest, ignore=lambda d, names: skip & set(names) if Path(d) == src else set()
        )
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        if (src / part).is_dir():
            shutil.copytree(src / part, dest / part, dirs_exist_ok=True)
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / part, dest / part)
    return dest


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace ``old`` by ``new`` in a UTF-8 text file (the first ``count`` times, or all).

    Fails the test when ``old`` is not in the file, so a fixture that drifts
    cannot turn the edit into a no-op.
    """
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r} to replace"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def save_as_windows(path: Path) -> None:
    """Rewrite a text file as Windows editors save it: a UTF-8 BOM and CRLF line ends."""
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))


def append(chapter: Path, text: str) -> int:
    """Append ``text`` to a chapter; return the line number of its first line."""
    old = chapter.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    chapter.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def render_stdin(project: Path, source: str, edition: str = "en") -> tuple[int, str]:
    """Run ``esgpress render -`` on ``source``; return the exit code and the output."""
    res = CliRunner().invoke(
        main, ["--project", str(project), "render", "--lang", edition, "-"], input=source
    )
    return res.exit_code, res.output


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files from current output"
    )


#: Test files that take a minute or more (make test's durations), longest first. They
#: run first: with ``--dist loadfile`` xdist hands out whole files in collection
#: order, and a long file handed out last leaves the other worker idle at the end.
#: The first two start the shared builds (the sample's PDFs, its site) on both workers.
LONG_FILES = (
    "test_pdf_standards.py",
    "test_a11y.py",
    "test_print_flow.py",
    "test_pdf_footnotes.py",
    "test_project_option.py",
    "test_stale_outputs.py",
    "test_house_style_outputs.py",
    "test_summary.py",
    "test_hostile_lock.py",
    "test_newproject.py",
    "test_pdf.py",
    "test_cache.py",
    "test_hostile_html.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the long test files first (see :data:`LONG_FILES`); the rest keep their order."""
    rank = {name: n for n, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project."""
    return copy_project("mini", tmp_path / "mini")


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> object:
    """Run ``build(folder)`` once for the whole run, even across xdist workers; return its result.

    Each xdist worker has a session of its own, so a session fixture used by
    modules on both workers was built twice (the sample's PDFs: about 100 s
    each). The first worker to ask builds, under a lock in the run's shared
    temporary folder; the others wait for it and read the result (which must
    be JSON: paths as strings) it left beside the build.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base / f"{name}.json"
        if done.exists():
            return json.loads(done.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        result = build(folder)
        done.write_text(json.dumps(result), encoding="utf-8")
        return result


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report's site, built as `esgpress build` does, in a temporary folder.

    Built once per test run: the accessibility and search browser tests share it.
    """

    def build(base: Path) -> str:
        from esgpress.site.build import build_site

        project = base / "project"
        for part in ("data", "content"):
            shutil.copytree(SAMPLE / part, project / part)
        build_site(project, config_file=SAMPLE / "mkdocs.yml", site_dir=base / "site")
        return str(base / "site")

    return Path(str(built_once(tmp_path_factory, "sample-site", build)))


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The sample report rendered and printed (screen PDFs, every cache off), once per run.

    The PDF standards, footnote, page-flow and house-style tests all read the
    same three PDFs: one build instead of one per module. Tests must not change
    the project; they may add outputs beside it (the print-layout PDFs).
    """

    def build(base: Path) -> list[object]:
        from esgpress.data.loader import load_project
        from esgpress.pdf.build import build_pdfs

        root = base / "project"
        root.mkdir()
        for part in ("data", "content", "templates"):
            shutil.copytree(SAMPLE / part, root / part)
        shutil.copy(SAMPLE / "mkdocs.yml", root / "mkdocs.yml")
        dataset, _ = load_project(root)
        cwd = Path.cwd()
        os.chdir(root)  # the zh-Hant converter looks for data/glossary.yaml from here
        try:
            pdfs = build_pdfs(root, dataset, ("zh-Hant", "zh-Hans", "en"), render=True, force=True)
        finally:
            os.chdir(cwd)
        return [str(root), {edition: str(path) for edition, path in pdfs.items()}]

    root, pdfs = built_once(tmp_path_factory, "sample-pdfs", build)  # type: ignore[misc]
    return Path(root), {edition: Path(path) for edition, path in pdfs.items()}
