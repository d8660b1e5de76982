"""``esgpress doctor`` and the font check the PDF step runs before any layout.

fontconfig is pointed at test configurations with ``FONTCONFIG_FILE``: one
with no font at all (where Pango used to crash the layout, exit 139) and one
with only a Latin face (where WeasyPrint used to print 98 ``.notdef`` lines).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from esgpress.pdf.doctor import Library, library_finding, python_finding, report
from esgpress.pdf.fonts import Finding, families

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
ESGPRESS = Path(sys.executable).with_name("esgpress")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def fontconfig(tmp_path: Path, *dirs: Path) -> Path:
    """A fontconfig file that knows only ``dirs`` (no system folders, no aliases)."""
    conf = tmp_path / "fonts.conf"
    lines = "".join(f"<dir>{d}</dir>" for d in dirs)
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig>{lines}'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def run(args: list[str], cwd: Path, conf: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if conf is not None:
        env["FONTCONFIG_FILE"] = str(conf)
    return subprocess.run(
        [str(ESGPRESS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_doctor_on_this_machine_is_ready(tmp_path):
    out = run(["doctor"], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert "ok      fonts zh-Hant: Noto Sans CJK HK" in lines
    assert "ok      fonts zh-Hans: Noto Sans CJK SC" in lines
    assert "ok      fonts en: Noto Sans CJK SC" in lines
    assert any(line.startswith("ok      Pango: 1.") for line in lines)
    assert any(line.startswith("ok      libharfbuzz-subset: ") for line in lines)
    assert lines[-1] == "ready: this machine can build the site and the PDFs."


def test_doctor_in_a_project_checks_its_own_editions(tmp_path):
    """Inside a project with editions zh-Hant and en, zh-Hans fonts are not asked for."""
    project = tmp_path / "two"
    shutil.copytree(MINI, project)
    report_yaml = project / "data" / "report.yaml"
    text = report_yaml.read_text(encoding="utf-8")
    report_yaml.write_text(text + "editions: [zh-Hant, en]\n", encoding="utf-8")
    out = run(["doctor"], project)
    assert out.returncode == 0, out.stdout + out.stderr
    fonts = [line for line in out.stdout.splitlines() if " fonts " in line]
    assert [line.split(":")[0].split()[-1] for line in fonts] == ["zh-Hant", "en"]


def test_doctor_with_no_font_at_all(tmp_path):
    out = run(["doctor"], tmp_path, fontconfig(tmp_path))
    assert out.returncode == 1
    text = out.stdout
    assert (
        "missing Latin face: no installed font covers Latin text (fontconfig lists 0 font "
        "families)\n        install: sudo apt-get install fonts-noto-core\n"
    ) in text
    assert (
        "missing fonts zh-Hant: no installed font covers Traditional Chinese (wanted: Noto Sans "
        "CJK HK, Noto Sans CJK TC); the PDF would print empty boxes\n"
        "        install: sudo apt-get install fonts-noto-cjk\n"
    ) in text
    assert text.endswith(
        "to install everything missing: sudo apt-get install fonts-noto-core fonts-noto-cjk\n"
        "4 missing: the report cannot be built on this machine yet.\n"
    )


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs fonts-dejavu-core")
def test_doctor_with_a_latin_face_only(tmp_path):
    out = run(["doctor"], tmp_path, fontconfig(tmp_path, DEJAVU))
    assert out.returncode == 1
    text = out.stdout
    assert "Latin face" not in text
    assert "missing fonts zh-Hans: no installed font covers Simplified Chinese" in text
    # English still prints (in another typeface): a warning, not a blocker.
    assert "warning fonts en: Noto Sans CJK SC not installed; DejaVu" in text
    assert text.endswith(
        "to install everything missing: sudo apt-get install fonts-noto-cjk\n"
        "2 missing: the report cannot be built on this machine yet.\n"
    )


NO_CJK_MESSAGE = (
    "cannot print: fonts are missing\n"
    "  fonts zh-Hant: no installed font covers Traditional Chinese (wanted: Noto Sans CJK HK, "
    "Noto Sans CJK TC); the PDF would print empty boxes\n"
    "  fonts zh-Hans: no installed font covers Simplified Chinese (wanted: Noto Sans CJK SC); "
    "the PDF would print empty boxes\n"
    "install them with: sudo apt-get install fonts-noto-cjk\n"
    "(esgpress doctor checks everything the build needs)\n"
)


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs fonts-dejavu-core")
def test_pdf_without_cjk_face_stops_before_layout(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    out = run(["pdf"], project, fontconfig(tmp_path, DEJAVU))
    assert out.returncode == 1
    assert ".notdef" not in out.stderr
    assert out.stderr.endswith(NO_CJK_MESSAGE)
    assert not (project / "dist").exists()


def test_pdf_without_any_font_is_a_message_not_a_crash(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    out = run(["pdf", "--lang", "en"], project, fontconfig(tmp_path))
    assert out.returncode == 1  # was 139: Pango's segfault with no font
    assert out.stderr == (
        "cannot print: fonts are missing\n"
        "  Latin face: no installed font covers Latin text (fontconfig lists 0 font families)\n"
        "  fonts en: no installed font covers Latin text (wanted: Noto Sans CJK SC); "
        "the PDF would print empty boxes\n"
        "install them with: sudo apt-get install fonts-noto-core fonts-noto-cjk\n"
        "(esgpress doctor checks everything the build needs)\n"
    )


def test_missing_library_names_its_package():
    found = library_finding(Library("libfoo", ("libfoo-not-here.so.9",), "libfoo9"))
    assert str(found) == "missing libfoo: not found\n        install: sudo apt-get install libfoo9"


def test_old_python_is_reported():
    found = python_finding((3, 10, 4))
    assert not found.ok
    assert found.detail == "3.10.4; esgpress needs 3.11 or newer"


def test_report_passes_with_only_non_fatal_findings():
    text, ok = report(
        [Finding("a", True, "x"), Finding("poppler (tests only)", False, "gone", "p", False)]
    )
    assert ok
    assert text.splitlines()[-1] == "ready: this machine can build the site and the PDFs."


def test_font_families_of_a_css_stack():
    assert families('"Noto Sans CJK HK", "Noto Sans CJK TC", sans-serif') == [
        "Noto Sans CJK HK",
        "Noto Sans CJK TC",
    ]
