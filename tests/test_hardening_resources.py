"""Hardening (issue #9): what a chapter may embed.

Each test fails when the resource check of the render step
(esgpress.render.resources) or the escaping of data text is removed: remote,
active and out-of-project resources are refused with their source line, and
the pdf and site commands refuse before they write anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import append, copy_project, edit, render_stdin
from esgpress.cli import main

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
    edit(kpis, "en: Total energy}", "en: '![x](file:///etc/passwd)'}")
    code, output = render_stdin(mini, 'x\n{{ label("env.energy.total") }}\n')
    assert code == 1
    assert "<stdin>:2: image 'file:///etc/passwd' reads a file of this machine" in output


def test_pdf_command_refuses_before_writing(tmp_path: Path) -> None:
    project = copy_project("print", tmp_path / "p")
    first = append(project / "content" / "en" / "about.md", "![x](file:///etc/passwd)\n")
    res = CliRunner().invoke(main, ["--project", str(project), "pdf", "--lang", "en"])
    assert res.exit_code == 1
    assert f"content/en/about.md:{first}: image 'file:///etc/passwd'" in res.output
    assert not (project / "dist").exists()
    assert not (project / "build" / "print").exists()


def test_site_build_refuses_before_writing(tmp_path: Path) -> None:
    from esgpress.core.errors import EsgError
    from esgpress.site.build import build_site

    project = copy_project("site", tmp_path / "p")
    first = append(project / "content" / "zh" / "about.md", '<img src="http://127.0.0.1/x">\n')
    repo = Path(__file__).resolve().parent.parent
    with pytest.raises(EsgError) as err:
        build_site(project, config_file=repo / "mkdocs.yml", site_dir=tmp_path / "site")
    assert f"content/zh/about.md:{first}: image 'http://127.0.0.1/x' is a remote resource" in str(
        err.value
    )
    assert not (tmp_path / "site").exists()
