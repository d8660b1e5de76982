"""The live preview: ``esgpress serve`` on the site fixture, saved several times over.

The preview keeps MkDocs' plugin instances from one build to the next, so it
can go wrong in ways a single ``esgpress build`` never shows: state that
piles up with every save. These tests run the real command in a child process
and read what it serves over HTTP.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SAMPLE, copy_project

REPO = Path(__file__).resolve().parent.parent
SAVES = 4


@dataclass
class Preview:
    """A running ``esgpress serve`` and the project it previews."""

    project: Path
    url: str
    log: Path
    server: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> str | None:
    """The body at ``url``, or None while the server does not answer it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, preview: Preview, timeout: float = 90) -> str:
    """Poll ``url`` until its body contains ``text``; fail with the server's log."""
    start = time.monotonic()
    while time.monotonic() - start < timeout and preview.server.poll() is None:
        body = get(url)
        if body is not None and text in body:
            return body
        time.sleep(0.1)
    log = preview.log.read_text(encoding="utf-8", errors="replace")
    pytest.fail(f"{url} never showed {text!r}; server log:\n{log[-3000:]}")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    project = copy_project("site", tmp_path_factory.mktemp("serve") / "project")
    copy_project(SAMPLE, project, parts=("mkdocs.yml", "templates", "data/jieba_user_dict.txt"))
    port = free_port()
    log = project / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        command = [sys.executable, "-m", "esgpress", "--project", str(project), "serve"]
        server = subprocess.Popen(
            [*command, "--lang", "zh-Hant", "--dev-addr", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        running = Preview(project, f"http://127.0.0.1:{port}/", log, server)
        try:
            wait_for(running.url + "climate.html", "</html>", running)
            yield running
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def search_docs(preview: Preview) -> list[dict[str, str]]:
    body = get(preview.url + "search/search_index.json")
    assert body is not None
    return list(json.loads(body)["docs"])


def test_saves_show_up_and_the_search_index_stays_whole(preview: Preview) -> None:
    chapter = preview.project / "content" / "zh" / "climate.md"
    original = chapter.read_text(encoding="utf-8")
    before = search_docs(preview)
    pages = {d["location"].split("#")[0] for d in before}
    assert {"climate.html", "people.html", "about.html"} <= pages
    try:
        for i in range(SAVES):
            marker = f"预览标记{i}"
            chapter.write_text(original + f"\n{marker}\n", encoding="utf-8")
            page = wait_for(preview.url + "climate.html", f"預覽標記{i}", preview)
            assert f"预览标记{i}" not in page  # the Traditional edition, converted
            docs = search_docs(preview)
            # Every page is still searchable, each entry once, the saved text included.
            assert len(docs) == len(before)
            repeated = Counter((d["location"], d["title"]) for d in docs)
            assert [k for k, n in repeated.items() if n > 1] == []
            assert {d["location"].split("#")[0] for d in docs} == pages
            # (Chinese is segmented into words joined by U+200B in the index.)
            texts = [d["text"].replace("\u200b", "") for d in docs]
            assert sum(f"預覽標記{i}" in t for t in texts) == 1
    finally:
        chapter.write_text(original, encoding="utf-8")


def test_a_data_error_is_reported_and_the_last_good_page_kept(preview: Preview) -> None:
    kpis = preview.project / "data" / "kpis.yaml"
    original = kpis.read_text(encoding="utf-8")
    good = get(preview.url + "climate.html")
    assert good is not None
    try:
        kpis.write_text(original + "\n  broken: [\n", encoding="utf-8")
        start = time.monotonic()
        while "cannot render" not in preview.log.read_text(encoding="utf-8", errors="replace"):
            assert time.monotonic() - start < 60, "the broken data/kpis.yaml was never reported"
            time.sleep(0.1)
        log = preview.log.read_text(encoding="utf-8", errors="replace")
        assert "data/kpis.yaml" in log and "Traceback" not in log
        assert get(preview.url + "climate.html") is not None  # still serving
    finally:
        kpis.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("first_dirty", [True, False], ids=["as-serve", "full-first"])
def test_repeated_builds_keep_the_search_index_size(tmp_path: Path, first_dirty: bool) -> None:
    """The preview's builds in one process: the index must not grow with each save.

    Material's dirty-build merge, run a second time by static-i18n on an
    index it had merged already, doubled it on every save. The served files
    hid it (the split drops repeated entries), so this looks where the index
    grows: in the search plugin.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from esgpress.site.mkdocs import mkdocs_environment, plugin_available
    from esgpress.site.paths import SitePaths

    project = copy_project("site", tmp_path / "project")
    copy_project(SAMPLE, project, parts=("data/jieba_user_dict.txt",))
    paths = SitePaths.for_project(project, REPO / "mkdocs.yml")
    paths.docs_dir.mkdir(parents=True)
    chapter = project / "content" / "zh" / "climate.md"
    original = chapter.read_text(encoding="utf-8")
    counts = []
    with mkdocs_environment(paths, "zh-Hant"), plugin_available():
        for i in range(4):
            config = load_config(
                str(paths.config_file),
                docs_dir=str(paths.docs_dir),
                site_dir=str(tmp_path / "s"),
                strict=False,  # as serve: a dirty build warns
            )
            if i == 0:  # as `serve` does, once: the plugins then live across the builds
                config.plugins.on_startup(command="serve", dirty=True)
            chapter.write_text(original + f"\n标记{i}\n", encoding="utf-8")
            build(config, dirty=first_dirty or i > 0)
            counts.append(len(config.plugins["material/search"].search_index.entries))
        config.plugins.on_shutdown()
    # A full build may hold a language's entries twice (the split drops them);
    # the saves after it must neither add nor lose any.
    assert counts[1:] == [counts[1]] * 3 and counts[1] <= counts[0], counts


@pytest.mark.parametrize("warm", [True, False])
def test_the_first_preview_build_fills_the_chapter_memory(tmp_path: Path, warm: bool) -> None:
    """With a render already on disk, the preview's first build still renders.

    Otherwise its memory of the chapters stays empty and the first save
    renders every chapter (two seconds at 10x the sample) instead of one.
    """
    from esgpress.render import renderer as render
    from esgpress.render.write import render_edition
    from esgpress.site.generate import load_site_data, render_and_generate
    from esgpress.site.paths import SitePaths

    project = copy_project("site", tmp_path / "project")
    paths = SitePaths.for_project(project, REPO / "mkdocs.yml")
    dataset, _ = load_site_data(project)
    render_edition(project, dataset, "zh-Hant", paths.docs_dir.parent / "render" / "zh-Hant")
    render._CHAPTERS.clear()
    render_and_generate(project, paths, ("zh-Hant",), "zh-Hant", warm=warm)
    chapters = len(list((project / "content" / "zh").glob("*.md")))
    assert (len(render._CHAPTERS) >= chapters) is warm


def test_a_busy_address_is_a_message_before_any_build(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from esgpress.cli import main

    project = copy_project("site", tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = CliRunner().invoke(
            main, ["--project", str(project), "serve", "--dev-addr", f"127.0.0.1:{port}"]
        )
    assert res.exit_code == 1
    assert res.output.splitlines()[-1] == (
        f"127.0.0.1:{port} is already in use (another preview?); stop it or choose "
        f"another address: --dev-addr 127.0.0.1:{port + 1}"
    )
    assert not (project / "build" / "site-docs").exists()  # stopped before building
    res = CliRunner().invoke(main, ["--project", str(project), "serve", "--dev-addr", "8000"])
    assert res.exit_code == 1
    assert res.output.splitlines()[-1] == "--dev-addr '8000' is not HOST:PORT, e.g. 127.0.0.1:8000"
