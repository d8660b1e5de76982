"""`esgpress new` from an installed wheel, outside the repository (issue 15, "Done when").

The wheel is built from this checkout and installed, without its
dependencies, into a fresh virtual environment whose other packages come from
the project's own .venv (a .pth line: the wheel's esgpress is found first, the
editable checkout never). Every command then runs in a temporary folder, so a
file the toolkit only finds inside the repository fails the test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from esgpress.data.loader import load_project
from esgpress.editions.leaks import find_script_leaks

ROOT = Path(__file__).resolve().parents[1]

#: Things of the repository's sample that must not reach a new project's outputs:
#: the company, its glossary-only term, its 2024 figures, its colours.
SAMPLE_MARKS = (
    "Xiaomi",
    "xiaomi",
    "小米",
    "444,774.36",  # env.energy.total 2024
    "365,906.35",  # fin.revenue 2024
    "ff6900",
    "c24e00",
    "fff4ec",
    "ffb380",
    "a34700",
)

#: Simplified words whose Hong Kong forms differ from OpenCC's Taiwan output.
HK_SENTENCE = "台湾的污染与湿度数据，借鉴同业做法后汇总。"
HK_FORMS = ("台灣", "污染", "濕度", "借鑒", "匯總")
TAIWAN_FORMS = ("臺灣", "汙染", "溼度", "借鑑", "彙總")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the built wheel installed; returns its bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(base / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((base / "dist").glob("esgpress-*.whl"))
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    # The dependencies from the project's venv, after the venv's own packages.
    (site / "zz-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    found = subprocess.run(
        [str(bin_dir / "python"), "-c", "import esgpress; print(esgpress.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=base,
    ).stdout
    assert str(site) in found, f"esgpress imported from {found}, not from the wheel"
    return bin_dir


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed esgpress in ``cwd``; fail the test with its output on error."""
    env = {**os.environ, "ESGPRESS_NO_CACHE": "1"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(bin_dir / "esgpress"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"esgpress {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def output_texts(project: Path) -> dict[str, str]:
    """Every output as text: site/ and build/ files, and the PDFs read back with pdftotext."""
    texts = {}
    for folder in ("site", "build"):
        for path in (project / folder).rglob("*"):
            if path.is_file() and path.suffix not in (".gz", ".png", ".xlsx", ".woff2"):
                texts[str(path.relative_to(project))] = path.read_text("utf-8", "replace")
    for pdf in (project / "dist").glob("*.pdf"):
        texts[str(pdf.relative_to(project))] = pdf_text(pdf)
    return texts


@pytest.mark.slow
def test_new_project_from_the_wheel_builds_two_editions(installed: Path, tmp_path: Path) -> None:
    run(
        installed,
        "new",
        "acme",
        "--company-zh",
        "示例集团",
        "--company-en",
        "Acme Group",
        "--year",
        "2025",
        "--editions",
        "zh-Hant,en",
        cwd=tmp_path,
    )
    acme = tmp_path / "acme"
    assert not (acme / "content" / "zh-Hans").exists()
    assert sorted(p.name for p in (acme / "content").iterdir()) == ["en", "zh"]
    assert "esgpress check --strict" in (acme / "README.md").read_text("utf-8")
    assert "esgpress build-all" in (acme / "README.md").read_text("utf-8")
    # A sentence with the words Hong Kong and Taiwan write differently.
    chapter = acme / "content" / "zh" / "about.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n" + HK_SENTENCE + "\n", "utf-8")

    checked = run(installed, "check", "--strict", cwd=acme)
    assert "in force: glossary: the toolkit's (" in checked.stdout
    run(installed, "build-all", cwd=acme)

    pdfs = sorted(p.name for p in (acme / "dist").glob("*.pdf"))
    assert pdfs == ["acme-group-esg-2025-en.pdf", "acme-group-esg-2025-zh-Hant.pdf"]
    assert (acme / "site" / "index.html").is_file()
    assert (acme / "site" / "en" / "index.html").is_file()

    texts = output_texts(acme)
    for name, text in texts.items():
        for mark in SAMPLE_MARKS:
            assert mark not in text, f"{name} has the sample's {mark!r}"

    # zh-Hant follows the Hong Kong house glossary, in the PDF and on the site.
    hant_pdf = re.sub(r"\s+", "", texts["dist/acme-group-esg-2025-zh-Hant.pdf"])
    hant_page = texts["site/about.html"]
    for hk, taiwan in zip(HK_FORMS, TAIWAN_FORMS, strict=True):
        assert hk in hant_pdf and hk in hant_page
        assert taiwan not in hant_pdf and taiwan not in hant_page

    # No zh-Hans output anywhere: site folders, files, downloads, search, links.
    assert not (acme / "site" / "zh-Hans").exists()
    assert not (acme / "build" / "render" / "zh-Hans").exists()
    everything = [p for p in acme.rglob("*") if p.is_file()]
    assert [p for p in everything if "zh-Hans" in p.name] == []
    for name, text in texts.items():
        if name.endswith((".css", ".js")):  # the toolkit's rules and words per language
            continue
        assert "zh-Hans" not in text, f"{name} mentions zh-Hans"
        assert "简体中文" not in text, f"{name} offers the Simplified edition"
    downloads = texts["site/en/downloads.html"]
    assert "language editions below" in downloads and "three" not in downloads
    index = json.loads((acme / "site" / "search" / "search_index.json").read_text("utf-8"))
    assert index["docs"] and all("/zh-Hans/" not in d["location"] for d in index["docs"])


#: A Traditional source paragraph with forms the house glossary would change
#: (臺 → 台, 彙 → 匯) if zh-Hant were converted instead of printed as written.
TRADITIONAL = "臺灣據點的用水資料已彙整，並與供應商共同檢討節水措施。"


@pytest.mark.slow
def test_traditional_source_builds_three_editions(installed: Path, tmp_path: Path) -> None:
    run(
        installed,
        "new",
        "trad",
        "--company-zh",
        "示例集團",
        "--company-en",
        "Trad Co",
        "--year",
        "2025",
        "--source-script",
        "traditional",
        cwd=tmp_path,
    )
    trad = tmp_path / "trad"
    chapter = trad / "content" / "zh" / "about.md"
    source = chapter.read_text("utf-8") + "\n" + TRADITIONAL + "\n"
    chapter.write_text(source, "utf-8")
    run(installed, "check", "--strict", cwd=trad)  # includes the leak checks
    run(installed, "build-all", cwd=trad)

    pdfs = sorted(p.name for p in (trad / "dist").glob("*.pdf"))
    assert pdfs == [f"trad-co-esg-2025-{e}.pdf" for e in ("en", "zh-Hans", "zh-Hant")]

    # zh-Hant prints the source's characters unchanged: every Chinese line of
    # the source without template code is in the render as written.
    hant = (trad / "build" / "render" / "zh-Hant" / "about.md").read_text("utf-8")
    plain = [
        ln for ln in source.splitlines() if re.search(r"[\u4e00-\u9fff]", ln) and "{" not in ln
    ]
    assert TRADITIONAL in plain
    for line in plain:
        assert line in hant
    hant_pdf = re.sub(r"\s+", "", pdf_text(trad / "dist" / "trad-co-esg-2025-zh-Hant.pdf"))
    assert TRADITIONAL in hant_pdf

    # zh-Hans is converted and passes the same leak checks.
    hans = (trad / "build" / "render" / "zh-Hans" / "about.md").read_text("utf-8")
    assert "台湾据点的用水资料已汇整" in hans
    dataset, _ = load_project(trad)
    assert find_script_leaks(hans, "zh-Hans") == []
    hans_pdf = re.sub(r"\s+", "", pdf_text(trad / "dist" / "trad-co-esg-2025-zh-Hans.pdf"))
    assert "台湾据点的用水资料已汇整" in hans_pdf
    assert dataset.report.source_script == "traditional"
