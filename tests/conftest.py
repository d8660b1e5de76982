"""Shared fixtures: project copies in temporary folders and the golden-file option."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files from current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report's site, built as `esgpress build` does, in a temporary folder.

    Built once per test session: the accessibility and search browser tests share it.
    """
    from esgpress.site.build import build_site

    repo = Path(__file__).resolve().parent.parent
    base = tmp_path_factory.mktemp("sample-site")
    project = base / "project"
    for part in ("data", "content"):
        shutil.copytree(repo / part, project / part)
    build_site(project, config_file=repo / "mkdocs.yml", site_dir=base / "site")
    return base / "site"
