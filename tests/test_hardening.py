"""Hardening (issue #9): what a chapter may run and embed, and how outputs are replaced.

Each test here fails when its protection is removed: the chapter-language
check (esgpress.render.sandbox), the resource check of the render step
(esgpress.render.resources), escaping of data text, the YAML reader's refusals and
the atomic, locked output folders (esgpress.core.files).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from esgpress.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
HINT = "chapters can use only the documented functions (docs/writing-chapters.md)"


def render_stdin(project: Path, source: str, edition: str = "en") -> tuple[int, str]:
    res = CliRunner().invoke(
        main, ["--project", str(project), "render", "--lang", edition, "-"], input=source
    )
    return res.exit_code, res.output


def append(chapter: Path, text: str) -> int:
    """Append ``text`` to a chapter; return the line number of its first line."""
    old = chapter.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    chapter.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


# ---------------------------------------------------------------- 1. template sandbox


ATTR = f"a chapter cannot use attribute access (x.name); {HINT}"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", ATTR),
        ("{{ cycler.__init__.__globals__ }}", ATTR),
        ("{{ kpi.__globals__ }}", ATTR),
        ('{{ "{0.__class__}".format(1) }}', ATTR),
        ("{{ config }}", f"'config' does not exist in chapters; {HINT}"),
        ("{{ self }}", f"'self' does not exist in chapters; {HINT}"),
        ("{{ lipsum() }}", f"'lipsum' does not exist in chapters; {HINT}"),
        ("{{ namespace() }}", f"'namespace' does not exist in chapters; {HINT}"),
        ("{{ joiner() }}", f"'joiner' does not exist in chapters; {HINT}"),
        ("{{ range(10) }}", f"'range' does not exist in chapters (did you mean change?); {HINT}"),
        ("{{ kpi }}", "'kpi' is a function; call it: kpi(...)"),
        ("{{ kpi['x'] }}", f"a chapter cannot use item access (x[...]); {HINT}"),
        ("{{ 'a' * 10**10 }}", f"a chapter cannot use arithmetic and operators; {HINT}"),
        ("{{ 'x'|center(999999999) }}", f"a chapter cannot use filters (x|name); {HINT}"),
        ("{{ 'a' ~ 'b' }}", f"a chapter cannot use string concatenation (~); {HINT}"),
        ("{% set kpi = 1 %}", f"a chapter cannot use {{% set %}} variables; {HINT}"),
        ("{% for i in [1] %}{% endfor %}", f"a chapter cannot use {{% for %}} loops; {HINT}"),
        ("{% if 1 %}{% endif %}", f"a chapter cannot use {{% if %}} conditions; {HINT}"),
        (
            "{% macro m() %}{% endmacro %}",
            f"a chapter cannot use {{% macro %}} definitions; {HINT}",
        ),
        (
            '{% include "data/kpis.yaml" %}',
            f"a chapter cannot use {{% include %}} (it cannot read other files); {HINT}",
        ),
        (
            '{% import "content/en/climate.md" as c %}',
            f"a chapter cannot use {{% import %}} (it cannot read other files); {HINT}",
        ),
        (
            '{% extends "/etc/passwd" %}',
            f"a chapter cannot use {{% extends %}} (it cannot read other templates); {HINT}",
        ),
        ('{{ kpi(*["env.energy.total"]) }}', "a chapter cannot use *args or **kwargs in a call"),
        (
            '{{ kpi("env.energy.total", year=2023 + 1) }}',
            f"a chapter cannot use arithmetic and operators; {HINT}",
        ),
    ],
)
def test_sandbox_refuses_with_line(source: str, message: str, mini: Path) -> None:
    code, output = render_stdin(mini, f"x\n{source}\n")
    assert code == 1
    assert output.splitlines()[0] == f"<stdin>:2: {message}"
    assert "Traceback" not in output


def test_sandbox_refuses_before_anything_runs(mini: Path) -> None:
    # Without the check, Jinja folds the constant at compile time: gigabytes, then a crash.
    start = time.monotonic()
    code, output = render_stdin(mini, "{{ 'a' * 10**10 }}{{ 9**9**9 }}\n")
    assert code == 1
    assert time.monotonic() - start < 2
    assert output.count("arithmetic and operators") == 2


def test_documented_calls_still_work(mini: Path) -> None:
    code, output = render_stdin(
        mini,
        '{% call case("Retrofit") %}{{ kpi("env.energy.total", year=2024, unit=False) }}'
        '{% endcall %} {{ kpi_table(["env.energy.total"], years=[2024, 2023]) }}',
    )
    assert code == 0, output
    assert "Retrofit</p>" in output and "300.00" in output and '<table class="kpi-table">' in output
    code, output = render_stdin(mini, '{{ kpi("env.energy.total", year=-1) }}')
    assert output.splitlines()[0] == "<stdin>:1: year -1 is outside the data (2021–2024)"


def test_deep_nesting_is_an_error_not_a_crash(mini: Path) -> None:
    code, output = render_stdin(mini, "{{ kpi(" + "[" * 5000 + "]" * 5000 + ") }}")
    assert code == 1
    assert output.splitlines()[0] == "<stdin>: the chapter's template is nested too deeply"


def test_sandbox_errors_in_a_chapter_name_file_and_line(mini: Path) -> None:
    line = append(mini / "content" / "zh" / "climate.md", "\n{{ self.__init__ }}\n")
    res = CliRunner().invoke(main, ["--project", str(mini), "check"])
    assert res.exit_code == 1
    assert f"content/zh/climate.md:{line + 1}: {ATTR}" in res.output


# ---------------------------------------------------------------- 3. resources


BAD_RESOURCES = """\
![a](../../etc/passwd)
![b](file:///etc/passwd)
<img src="http://127.0.0.1/x.png" alt="c">
{{ kpi_table("env.energy") }}
<p style="background: url('https://tracker.example/p.png')">d</p>
[e](file:///etc/passwd)
<object data="/etc/passwd"></object>
"""

BAD_MESSAGES = [
    "image '../../etc/passwd' points outside the project's content/ folder; "
    "keep images in content/",
    "image 'file:///etc/passwd' reads a file of this machine; "
    "embed files of content/ by relative path (images/…)",
    "image 'http://127.0.0.1/x.png' is a remote resource; the report embeds project files only "
    "(save it under content/ and use a relative path)",
    "resource 'https://tracker.example/p.png' is a remote resource; the report embeds project "
    "files only (save it under content/ and use a relative path)",
    "link 'file:///etc/passwd' points at a file of this machine; "
    "link to a web address (https://…) or a chapter",
    "resource '/etc/passwd' is an absolute path; use a path relative to the chapter (images/…)",
]
BAD_LINES = [0, 1, 2, 4, 5, 6]  # offsets from the first appended line (the table is line 3)


def expected_bad(display: str, first: int) -> list[str]:
    return [f"{display}:{first + o}: {m}" for o, m in zip(BAD_LINES, BAD_MESSAGES, strict=True)]


def test_render_file_refuses_bad_resources_with_source_lines(mini: Path) -> None:
    chapter = mini / "content" / "en" / "climate.md"
    first = append(chapter, BAD_RESOURCES)
    res = CliRunner().invoke(main, ["--project", str(mini), "render", "--lang", "en", str(chapter)])
    assert res.exit_code == 1
    assert res.output.splitlines()[:-1] == expected_bad("content/en/climate.md", first)


def test_render_all_and_check_refuse_bad_resources(mini: Path) -> None:
    first = append(mini / "content" / "zh" / "climate.md", BAD_RESOURCES)
    want = expected_bad("content/zh/climate.md", first)
    res = CliRunner().invoke(main, ["--project", str(mini), "render", "--lang", "zh-Hant"])
    assert res.exit_code == 1
    assert res.output.splitlines()[:-1] == want
    assert not (mini / "build" / "render" / "zh-Hant").exists()
    res = CliRunner().invoke(main, ["--project", str(mini), "check"])
    assert res.exit_code == 1
    for line in want:
        assert line in res.output


def test_ordinary_links_and_project_images_are_allowed(mini: Path) -> None:
    source = (
        "[csr](https://www.mi.com/csr) [mail](mailto:esg@example.com) [top](#climate)\n"
        "![flow](images/flow.svg) ![dot](data:image/png;base64,iVBORw0KGgo=)\n"
        '<img src="images/a.png" srcset="images/a.png 1x, images/b.png 2x" alt="">\n'
    )
    code, output = render_stdin(mini, source)
    assert code == 0, output
    assert output == source


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<script>alert(1)</script>", "a chapter cannot contain <script> elements"),
        (
            '<a href="#" onclick="x()">a</a>',
            "a chapter cannot contain event attributes (onclick= on <a>)",
        ),
        (
            "[x](javascript:alert(1))",
            "link 'javascript:alert(1)' uses the 'javascript:' scheme; "
            "links may be http(s), mailto or tel addresses",
        ),
        (
            "![x](data:image/svg+xml;base64,PHN2Zz4=)",
            "image 'data:image/svg+xml;base64,PHN2Zz4=' is a data: URL of type 'image/svg+xml'; "
            "only image/png, image/jpeg, image/gif, image/webp may be inlined",
        ),
        (
            '<img srcset="ok.png 1x, //cdn.example/b.png 2x">',
            "image '//cdn.example/b.png' is a remote resource; the report embeds project files "
            "only (save it under content/ and use a relative path)",
        ),
        (
            "![x][pic]\n\n[pic]: ../../../secret.png",
            "image '../../../secret.png' points outside the project's content/ folder; "
            "keep images in content/",
        ),
        (
            '<link rel="stylesheet" href="http://10.0.0.1/a.css">',
            "resource 'http://10.0.0.1/a.css' is a remote resource; the report embeds project "
            "files only (save it under content/ and use a relative path)",
        ),
    ],
)
def test_active_content_and_other_resources_are_refused(
    source: str, message: str, mini: Path
) -> None:
    code, output = render_stdin(mini, source + "\n")
    assert code == 1
    assert message in output


def test_a_symbolic_link_out_of_content_is_refused(mini: Path) -> None:
    images = mini / "content" / "en" / "images"
    images.mkdir()
    (images / "passwd.png").symlink_to("/etc/passwd")
    code, output = render_stdin(mini, "![x](images/passwd.png)\n")
    assert code == 1
    assert "is a symbolic link that leads out of the project's content/ folder" in output


def test_data_text_cannot_smuggle_an_image_into_the_markdown(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8").replace(
            "en: Total energy}", "en: '![x](file:///etc/passwd)'}"
        ),
        encoding="utf-8",
    )
    code, output = render_stdin(mini, 'x\n{{ label("env.energy.total") }}\n')
    assert code == 1
    assert "<stdin>:2: image 'file:///etc/passwd' reads a file of this machine" in output


def copy_fixture(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / name, dest, ignore=shutil.ignore_patterns("build", "dist", "site"))
    return dest


def test_pdf_command_refuses_before_writing(tmp_path: Path) -> None:
    project = copy_fixture("print", tmp_path / "p")
    first = append(project / "content" / "en" / "about.md", "![x](file:///etc/passwd)\n")
    res = CliRunner().invoke(main, ["--project", str(project), "pdf", "--lang", "en"])
    assert res.exit_code == 1
    assert f"content/en/about.md:{first}: image 'file:///etc/passwd'" in res.output
    assert not (project / "dist").exists()
    assert not (project / "build" / "print").exists()


def test_site_build_refuses_before_writing(tmp_path: Path) -> None:
    from esgpress.core.errors import EsgError
    from esgpress.site.build import build_site

    project = copy_fixture("site", tmp_path / "p")
    first = append(project / "content" / "zh" / "about.md", '<img src="http://127.0.0.1/x">\n')
    repo = Path(__file__).resolve().parent.parent
    with pytest.raises(EsgError) as err:
        build_site(project, config_file=repo / "mkdocs.yml", site_dir=tmp_path / "site")
    assert f"content/zh/about.md:{first}: image 'http://127.0.0.1/x' is a remote resource" in str(
        err.value
    )
    assert not (tmp_path / "site").exists()


# ---------------------------------------------------------------- 5. atomic outputs and the lock


REPO = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to compare before and after a build)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def old_output(folder: Path) -> dict[str, bytes]:
    (folder / "sub").mkdir(parents=True)
    (folder / "index.html").write_text("<p>the published site</p>", encoding="utf-8")
    (folder / "sub" / "page.html").write_text("<p>a page</p>", encoding="utf-8")
    return tree(folder)


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def build_site_of(project: Path, site: Path) -> None:
    from esgpress.site.build import build_site

    build_site(project, config_file=REPO / "mkdocs.yml", site_dir=site)


def test_a_failing_chapter_leaves_site_unchanged(tmp_path: Path) -> None:
    from esgpress.core.errors import EsgError

    project = copy_fixture("site", tmp_path / "p")
    site = tmp_path / "site"
    before = old_output(site)
    append(project / "content" / "en" / "people.md", '{{ kpi("no.such.kpi") }}\n')
    with pytest.raises(EsgError, match=r"unknown KPI 'no\.such\.kpi'"):
        build_site_of(project, site)
    assert tree(site) == before
    assert siblings(site) == []


def test_a_full_disk_halfway_through_the_site_leaves_site_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import mkdocs.utils

    from esgpress.core.errors import EsgError

    project = copy_fixture("site", tmp_path / "p")
    site = tmp_path / "site"
    before = old_output(site)
    real_write = mkdocs.utils.write_file
    written: list[str] = []

    def write_file(content: bytes, output_path: str) -> None:
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", output_path)
        real_write(content, output_path)
        written.append(output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    with pytest.raises(EsgError) as err:
        build_site_of(project, site)
    assert len(written) == 3 and all("/.site.new-" in w for w in written)
    message = err.value.format_message()
    assert message.startswith("cannot write site/: No space left on device (")
    assert message.endswith("); the previous site/ is unchanged")
    assert tree(site) == before
    assert siblings(site) == []


def test_a_killed_site_build_leaves_site_unchanged(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    from esgpress.core.files import recover

    project = copy_fixture("site", tmp_path / "p")
    site = tmp_path / "site"
    before = old_output(site)
    code = (
        "from pathlib import Path; from esgpress.site.build import build_site; "
        f"build_site(Path({str(project)!r}), config_file=Path({str(REPO / 'mkdocs.yml')!r}), "
        f"site_dir=Path({str(site)!r}))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            staging = [p for p in tmp_path.glob(".site.new-*") if any(p.rglob("*.html"))]
            if staging:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the build ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert tree(site) == before
    assert siblings(site) == [f".site.new-{proc.pid}"]  # hidden, never served as site/
    recover(site)  # what the next build does first
    assert siblings(site) == []
    assert tree(site) == before


def test_a_build_killed_between_the_two_renames_is_recovered(tmp_path: Path) -> None:
    from esgpress.core.files import recover

    site = tmp_path / "site"
    before = old_output(tmp_path / ".site.old-12345")
    (tmp_path / ".site.new-12345").mkdir()
    recover(site)
    assert tree(site) == before
    assert siblings(site) == []


def pdf_project(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    project = copy_fixture("print", tmp_path / "p")
    dist = project / "dist"
    dist.mkdir()
    for edition in ("zh-Hant", "zh-Hans", "en"):
        (dist / f"printdemo-2024-{edition}.pdf").write_bytes(f"%PDF old {edition}".encode())
    (dist / "notes.txt").write_text("kept", encoding="utf-8")
    return project, tree(dist)


def test_pdfs_are_replaced_as_a_set_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import esgpress.pdf.build

    project, before = pdf_project(tmp_path)

    def run(jobs: list[esgpress.pdf.build.Job]) -> list[esgpress.pdf.build.Result]:
        results = []
        for job in jobs:  # the first edition succeeds, the second fails halfway
            Path(job.out).write_bytes(b"%PDF new " + job.edition.encode())
            results.append(esgpress.pdf.build.Result(job.edition, job.out))
        results[1].error = f"{jobs[1].edition}: a glyph is missing"
        return results

    monkeypatch.setattr(esgpress.pdf.build, "_run", run)
    res = CliRunner().invoke(main, ["--project", str(project), "pdf"])
    assert res.exit_code == 1
    assert "zh-Hans: a glyph is missing\ndist/ is unchanged: no PDF was replaced" in res.output
    assert tree(project / "dist") == before
    assert siblings(project / "dist") == []
    assert not list((project / "build" / "print").glob("*/.pdf.fingerprint"))


def test_a_full_disk_while_writing_pdfs_leaves_dist_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import esgpress.pdf.build

    project, before = pdf_project(tmp_path)

    def run(jobs: list[esgpress.pdf.build.Job]) -> list[esgpress.pdf.build.Result]:
        Path(jobs[0].out).write_bytes(b"%PDF half")
        raise OSError(errno.ENOSPC, "No space left on device", jobs[0].out)

    monkeypatch.setattr(esgpress.pdf.build, "_run", run)
    res = CliRunner().invoke(main, ["--project", str(project), "pdf"])
    assert res.exit_code == 1
    assert res.output.startswith("cannot write dist/: No space left on device (")
    assert "Traceback" not in res.output
    assert tree(project / "dist") == before
    assert siblings(project / "dist") == []


def test_a_successful_pdf_build_swaps_in_the_new_set_and_keeps_other_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import esgpress.pdf.build

    project, before = pdf_project(tmp_path)

    def run(jobs: list[esgpress.pdf.build.Job]) -> list[esgpress.pdf.build.Result]:
        for job in jobs:
            Path(job.out).write_bytes(b"%PDF new " + job.edition.encode())
        return [esgpress.pdf.build.Result(job.edition, job.out) for job in jobs]

    monkeypatch.setattr(esgpress.pdf.build, "_run", run)
    res = CliRunner().invoke(main, ["--project", str(project), "pdf", "--lang", "en"])
    assert res.exit_code == 0, res.output
    after = tree(project / "dist")
    assert after["printdemo-2024-en.pdf"] == b"%PDF new en"
    assert {k: v for k, v in after.items() if k != "printdemo-2024-en.pdf"} == {
        k: v for k, v in before.items() if k != "printdemo-2024-en.pdf"
    }
    assert siblings(project / "dist") == []


def test_a_second_build_stops_with_the_lock_message(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    project = copy_fixture("mini", tmp_path / "p")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    code = (
        "import sys, time; from pathlib import Path; from esgpress.core.files import project_lock\n"
        f"with project_lock(Path({str(project)!r}), 'esgpress pdf'):\n"
        "    print('locked', flush=True); sys.stdin.read()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
    holder = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        for command in (["render"], ["pdf"], ["build"], ["build-all"]):
            res = CliRunner().invoke(main, ["--project", str(project), *command])
            assert res.exit_code == 1, command
            assert res.output.startswith(
                f"another esgpress build is running in this project (pid {holder.pid}, "
                "'esgpress pdf' started at "
            ), res.output
            assert res.output.rstrip().endswith(
                "wait for it to finish and run the command again. The lock (build/.lock) is "
                "released when that process ends, even if it is killed."
            )
        assert not (project / "build" / "render").exists()
    finally:
        holder.kill()
        holder.communicate()  # reap it and close the pipes
    # The kernel dropped the lock with the killed holder: the next render runs.
    res = CliRunner().invoke(main, ["--project", str(project), "render", "--lang", "en"])
    assert res.exit_code == 0, res.output


# ---------------------------------------------------------------- 4. hostile YAML


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
HAZARDS = {
    "billion-laughs": (
        LAUGHS,
        "2:8: alias '*a' is not allowed in data files; write the value out where it is used",
    ),
    "deep-brackets": (
        "x: " + "[" * 4_000 + "]" * 4_000 + "\n",  # ruamel.yaml alone: 20 s
        "1:68: more than 64 nested brackets; data files nest only a few levels",
    ),
    "deep-indent": (
        "".join(" " * i + f"k{i}:\n" for i in range(0, 400, 2)),
        "82:1: the line is indented 162 spaces; data files nest only a few levels "
        "(at most 160 spaces of indentation are accepted)",
    ),
    "long-line": (
        "title: " + "x" * 20_000 + "\n",
        "1:1: the line is 20,007 characters long; data files have short lines "
        "(at most 10,000 characters are accepted)",
    ),
    "too-big": (
        "# padding\n" * 200_000,
        "the file is 2,000,000 bytes; data files over 1,000,000 bytes are refused",
    ),
    "control-char": (
        "a: 1\nb: x\x00y\n",
        "2:5: the control character U+0000 is not allowed in YAML; delete it",
    ),
    "not-utf8": (
        "a: 1\nb: caf\udce9\n",
        "2:7: the file is not UTF-8 (byte 0xe9); save it as UTF-8",
    ),
}


def write_raw(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("name", ["kpis.yaml", "report.yaml", "units.yaml"])
@pytest.mark.parametrize("hazard", sorted(HAZARDS))
def test_hostile_yaml_stops_fast_with_a_located_error(name: str, hazard: str, mini: Path) -> None:
    from esgpress.checks.run import check_data

    text, message = HAZARDS[hazard]
    write_raw(mini / "data" / name, text)
    start = time.monotonic()
    errors = [str(p) for p in check_data(mini).problems.errors]
    assert time.monotonic() - start < 1.0
    where = f"data/{name}:" if message[0].isdigit() else f"data/{name}: "
    assert errors[0] == where + message


@pytest.mark.parametrize("hazard", sorted(HAZARDS))
def test_hostile_glossary_stops_fast_with_a_located_error(hazard: str, tmp_path: Path) -> None:
    from esgpress.core.errors import EsgError
    from esgpress.editions.glossary import load_glossary

    text, message = HAZARDS[hazard]
    path = tmp_path / "glossary.yaml"
    write_raw(path, text)
    start = time.monotonic()
    with pytest.raises(EsgError) as err:
        load_glossary(path)
    assert time.monotonic() - start < 1.0
    first = err.value.format_message().splitlines()[0]
    # The glossary is read by the same guarded reader as the other data files.
    where = f"{path}:" if message[0].isdigit() else f"{path}: "
    assert first == where + message


def test_bom_and_crlf_load_the_same_dataset(mini: Path) -> None:
    from esgpress.data.loader import load_project

    plain, _ = load_project(mini)
    for name in ("kpis.yaml", "report.yaml", "units.yaml"):
        path = mini / "data" / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    dressed, problems = load_project(mini)
    assert not problems.errors
    assert dressed == plain


@pytest.mark.parametrize(
    ("typed", "col"),
    [(".inf", 17), ("-.inf", 17), (".Inf", 17), (".NaN", 17), (".NAN", 17), ("+.INF", 17)],
)
def test_non_finite_numbers_are_refused(typed: str, col: int, mini: Path) -> None:
    from esgpress.checks.run import check_data

    bad = (FIXTURES / "bad" / "nan.yaml").read_text(encoding="utf-8").replace(".nan", typed)
    (mini / "data" / "kpis.yaml").write_text(bad, encoding="utf-8")
    errors = [str(p) for p in check_data(mini).problems.errors]
    assert errors == [
        f"data/kpis.yaml:10:{col}: indicator 'env.energy.total' 2024: '{typed}' is not a finite "
        "number; write a figure or a missing value"
    ]


# ---------------------------------------------------------------- chapter files


CHAPTER_FILES = {
    # A Chinese chapter saved by a Windows editor in its default encoding.
    "gbk": (
        lambda text: text.encode("gbk"),
        "the file is not UTF-8 (byte 0x{byte:02x}); it looks like GBK/GB18030 or Big5 text; "
        "save it as UTF-8",
    ),
    "big5": (
        lambda text: text.replace("气候", "氣候").encode("big5", "replace"),
        "the file is not UTF-8 (byte 0x{byte:02x}); it looks like GBK/GB18030 or Big5 text; "
        "save it as UTF-8",
    ),
}


@pytest.mark.parametrize("name", sorted(CHAPTER_FILES))
def test_a_chapter_in_a_legacy_encoding_is_located_not_a_traceback(name: str, mini: Path) -> None:
    chapter = mini / "content" / "zh" / "climate.md"
    text = chapter.read_text(encoding="utf-8")
    encode, message = CHAPTER_FILES[name]
    raw = encode(text)
    first = next(i for i, b in enumerate(raw) if b > 0x7F)
    line = raw[:first].count(b"\n") + 1
    col = first - (raw.rfind(b"\n", 0, first) + 1) + 1
    chapter.write_bytes(raw)
    want = f"content/zh/climate.md:{line}:{col}: " + message.format(byte=raw[first])
    for command in (["render", "--lang", "zh-Hans"], ["check"]):
        res = CliRunner().invoke(main, ["--project", str(mini), *command])
        assert res.exit_code == 1, res.output
        assert want in res.output.splitlines()
        assert isinstance(res.exception, SystemExit)  # a message, not a crash


def test_a_latin1_chapter_gets_no_chinese_hint(mini: Path) -> None:
    chapter = mini / "content" / "en" / "climate.md"
    chapter.write_bytes(chapter.read_bytes() + "\nZürich office.\n".encode("latin-1"))
    lines = chapter.read_bytes().count(b"\n")
    res = CliRunner().invoke(main, ["--project", str(mini), "render", "--lang", "en"])
    assert res.exit_code == 1
    assert (
        f"content/en/climate.md:{lines}:2: the file is not UTF-8 (byte 0xfc); save it as UTF-8"
        in (res.output.splitlines())
    )


def test_a_chapter_with_bom_and_windows_line_ends_renders_the_same(mini: Path) -> None:
    chapter = mini / "content" / "en" / "climate.md"
    runner = CliRunner()
    res = runner.invoke(main, ["--project", str(mini), "render", "--lang", "en", str(chapter)])
    assert res.exit_code == 0, res.output
    chapter.write_bytes(b"\xef\xbb\xbf" + chapter.read_bytes().replace(b"\n", b"\r\n"))
    again = runner.invoke(main, ["--project", str(mini), "render", "--lang", "en", str(chapter)])
    assert again.exit_code == 0, again.output
    assert again.output == res.output


def test_an_oversized_chapter_is_refused(mini: Path) -> None:
    chapter = mini / "content" / "en" / "climate.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "x" * 2_100_000, encoding="utf-8")
    res = CliRunner().invoke(main, ["--project", str(mini), "render", "--lang", "en"])
    assert res.exit_code == 1
    size = chapter.stat().st_size
    assert (
        f"content/en/climate.md: the file is {size:,} bytes; "
        "chapter files over 2,000,000 bytes are refused"
    ) in res.output.splitlines()
