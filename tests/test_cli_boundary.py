"""The command line at its boundary: bad paths and bad files are messages, never tracebacks.

Each case here was a traceback (issue 15); each test pins the exact message.
Also: ``--project``, ``-q`` and ``-v`` after the command name, the check's report
on one stream, help examples printed as written, MkDocs' own cause of a failed
site build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from esgpress.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def esgpress(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


def test_template_into_missing_folder(project, tmp_path):
    out = tmp_path / "missing" / "dir" / "x.xlsx"
    result = esgpress("template", "--year", "2024", "--out", str(out), "--project", str(project))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"--out {out}: no folder {out.parent}; create the folder first or choose another path\n"
    )
    assert not (tmp_path / "missing").exists()


def test_export_does_not_create_missing_folders(project, tmp_path):
    out = tmp_path / "nowhere" / "x.csv"
    result = esgpress("export", "--format", "csv", "--out", str(out), "--project", str(project))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"--out {out}: no folder {out.parent}; create the folder first or choose another path\n"
    )
    assert not (tmp_path / "nowhere").exists()


def test_export_under_a_file(project, tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    out = tmp_path / "afile" / "x.csv"
    result = esgpress("export", "--format", "csv", "--out", str(out), "--project", str(project))
    assert result.exit_code == 1
    assert result.stderr == (
        f"--out {out}: {out.parent} is a file, not a folder; "
        "create the folder first or choose another path\n"
    )


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_export_into_an_unwritable_place(project):
    # /proc takes no new files, not even from root: the test holds as any user.
    result = esgpress(
        "export", "--format", "csv", "--out", "/proc/x.csv", "--project", str(project)
    )
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == "/proc/x.csv: No such file or directory\n"


def test_diff_source_on_a_missing_file(project):
    result = esgpress("diff-source", str(project / "content/en/nothere.md"))
    no_traceback(result)
    assert result.exit_code == 2
    assert f"File '{project / 'content/en/nothere.md'}' does not exist." in result.stderr


def test_diff_source_on_a_file_that_is_not_an_english_chapter(project, tmp_path):
    other = tmp_path / "notes.md"
    other.write_text("x", encoding="utf-8")
    result = esgpress("diff-source", str(other), "--project", str(project))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{other}: not an English chapter of this project (no content/en/notes.md); "
        "give a file of content/en/\n"
    )


def test_diff_source_with_a_gbk_encoded_source(project):
    en = sorted((project / "content" / "en").glob("*.md"))[0]
    assert esgpress("mark-reviewed", str(en), "--project", str(project)).exit_code == 0
    zh = project / "content" / "zh" / en.name
    zh.write_bytes("# 环境\n\n能源。\n".encode("gbk"))
    result = esgpress("diff-source", str(en), "--project", str(project))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"content/zh/{en.name}:1:3: the file is not UTF-8 (byte 0xbb); it looks like "
        "GBK/GB18030 or Big5 text; save it as UTF-8\n1 error.\n"
    )


def test_import_of_a_file_that_is_not_a_workbook(project, tmp_path):
    bad = tmp_path / "filled.xlsx"
    bad.write_text("name,value\n", encoding="utf-8")
    result = esgpress("import", str(bad), "--project", str(project))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{bad}: not an XLSX workbook (an .xlsx file is a zip archive; this one is not); "
        "save it from Excel or LibreOffice as .xlsx\n"
    )


def test_any_os_error_is_the_path_and_the_reason(project, monkeypatch):
    import esgpress.workflows.export as export

    def fail(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/srv/out/x.csv")

    monkeypatch.setattr(export, "export_bytes", fail)
    result = esgpress("export", "--format", "csv", "--project", str(project))
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        "/srv/out/x.csv: Permission denied; you may not write or read there: "
        "check the folder's permissions\n"
    )


def test_project_option_before_and_after_the_command(project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not a project: only --project finds it
    before = esgpress("--project", str(project), "check", "--data-only")
    after = esgpress("check", "--data-only", "--project", str(project))
    assert before.exit_code == after.exit_code == 0
    assert before.output == after.output


def test_check_writes_its_whole_report_to_stdout(project):
    chapter = sorted((project / "content" / "zh").glob("*.md"))[0]
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + '\n{{ kpi("no.such.kpi") }}\n', encoding="utf-8"
    )
    result = esgpress("check", "--project", str(project))
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert "unknown KPI 'no.such.kpi'" in result.stdout
    assert lines[-1].endswith(".") and "error" in lines[-1]


def test_quiet_and_verbose(project):
    loud = esgpress("render", "--lang", "en", "--project", str(project))
    quiet = esgpress("render", "--lang", "en", "-q", "--project", str(project))
    assert loud.exit_code == quiet.exit_code == 0
    assert loud.stderr == "rendered en → build/render/en\n"
    assert quiet.stderr == ""
    assert esgpress("-v", "render", "--lang", "en", "--project", str(project)).exit_code == 0


def test_help_examples_are_not_rewrapped():
    result = CliRunner().invoke(main, ["render", "--help"], terminal_width=50)
    assert (
        "\n  Example:\n    echo '{{ kpi(\"env.energy.total\") }}' | esgpress render --lang"
        " zh-Hant -\n"
    ) in result.output


def test_serve_prints_its_address(project, monkeypatch):
    import esgpress.site.serve as serve

    monkeypatch.setattr(serve, "serve_site", lambda *a, **k: None)
    result = esgpress("serve", "--dev-addr", "127.0.0.1:8765", "--project", str(project))
    assert result.exit_code == 0
    assert result.stderr == (
        "previewing zh-Hant at http://127.0.0.1:8765/ (the first build takes a few seconds; "
        "stop with Ctrl+C)\n"
    )


def test_failed_site_build_shows_mkdocs_cause(tmp_path):
    """MkDocs logs the cause and raises only "Aborted with a BuildError!"."""
    from esgpress.core.errors import EsgError
    from esgpress.site.build import build_site

    project = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", project)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: templates/site", f"custom_dir: {ROOT}/templates/site")
    config = config.replace("data/jieba_user_dict.txt", f"{ROOT}/data/jieba_user_dict.txt")
    (project / "mkdocs.yml").write_text(config + "\nhooks: [hook.py]\n", encoding="utf-8")
    (project / "hook.py").write_text(
        "from mkdocs.exceptions import PluginError\n\n\n"
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    raise PluginError('the real cause: dictionary missing')\n",
        encoding="utf-8",
    )
    with pytest.raises(EsgError) as raised:
        build_site(project, config_file=project / "mkdocs.yml", site_dir=tmp_path / "out")
    assert raised.value.format_message() == (
        "site build failed:\n"
        "Error reading page 'zh-Hant/index.md':\n"
        "the real cause: dictionary missing"
    )


def test_shell_completion_script():
    """docs/command-line.md: eval "$(_ESGPRESS_COMPLETE=bash_source esgpress)"."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("esgpress")
    env = {**os.environ, "_ESGPRESS_COMPLETE": "bash_source"}
    script = subprocess.run([str(exe)], env=env, capture_output=True, text=True, check=True)
    assert "_esgpress_completion()" in script.stdout
    env = {**os.environ, "_ESGPRESS_COMPLETE": "bash_complete", "COMP_WORDS": "esgpress doc"}
    env["COMP_CWORD"] = "1"
    words = subprocess.run([str(exe)], env=env, capture_output=True, text=True, check=True)
    assert words.stdout.split() == ["plain,doctor"]
