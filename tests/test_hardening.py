"""Hardening (issue #9): what a chapter may run and embed, and how outputs are replaced.

Each test here fails when its protection is removed: the chapter-language
check (esgpress.sandbox), the resource check of the render step
(esgpress.resources), escaping of data text, the YAML reader's refusals and
the atomic, locked output folders (esgpress.outputs).
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
    from esgpress.errors import EsgError
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
