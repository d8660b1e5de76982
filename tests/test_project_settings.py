"""Project settings of data/report.yaml (editions, source script, brand) and the toolkit's files.

Each case runs the real loader or command on a copy of the mini fixture and
asserts the exact located message or the printed result (issue 15).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from mkdocs.exceptions import PluginError

from esgpress.cli import main
from esgpress.core.errors import Problems
from esgpress.data.loader import load_dataset
from esgpress.data.model import DEFAULT_ACCENT, EDITIONS, Brand
from esgpress.editions.i18n import Localizer
from esgpress.render.brand import contrast_on_white, text_colour
from esgpress.render.renderer import render_source
from esgpress.site.theme import check_languages


def load(project: Path, extra: str = "") -> tuple[object, list[str]]:
    report = project / "data" / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + extra, encoding="utf-8")
    problems = Problems()
    dataset = load_dataset(project, problems)
    return dataset, [str(p) for p in problems.errors]


def line_of(project: Path, text: str) -> int:
    lines = (project / "data" / "report.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_defaults_are_the_three_editions_a_simplified_source_and_a_neutral_accent(
    mini: Path,
) -> None:
    dataset, errors = load(mini)
    assert errors == []
    report = dataset.report  # type: ignore[attr-defined]
    assert (report.editions, report.default_edition) == (EDITIONS, "zh-Hant")
    assert report.source_script == "simplified"
    assert report.brand == Brand() and report.brand.accent == DEFAULT_ACCENT != "#ff6900"


def test_settings_are_read(mini: Path) -> None:
    dataset, errors = load(
        mini,
        "editions: [en, zh-Hant]\ndefault_edition: en\nsource_script: traditional\n"
        'brand:\n  accent: "#0B6E4F"\n  palette: ["#0b6e4f", "#888888"]\n'
        "  fonts: {zh-Hant: 'Serif HK'}\n",
    )
    assert errors == []
    report = dataset.report  # type: ignore[attr-defined]
    assert report.editions == ("en", "zh-Hant") and report.default_edition == "en"
    assert report.source_script == "traditional"
    assert report.brand == Brand(
        "#0b6e4f", ("#0b6e4f", "#888888"), None, (("zh-Hant", "Serif HK"),)
    )


@pytest.mark.parametrize(
    ("extra", "where", "col", "message"),
    [
        (
            "editions: [zh-Hant, fr]\n",
            "editions:",
            21,
            "unknown edition 'fr'; choose from zh-Hant, zh-Hans, en",
        ),
        ("editions: [en, en]\n", "editions:", 16, "edition 'en' is listed twice"),
        (
            "editions: [zh-Hant, en]\ndefault_edition: zh-Hans\n",
            "default_edition:",
            18,
            "default_edition 'zh-Hans' is not one of the editions (zh-Hant, en)",
        ),
        (
            "source_script: cantonese\n",
            "source_script:",
            16,
            "source_script should be 'simplified' or 'traditional', not 'cantonese'",
        ),
        (
            "brand:\n  accent: orange\n",
            "accent:",
            11,
            "brand.accent should be a colour written #rrggbb, not 'orange'",
        ),
        (
            "brand:\n  logo: ../logo.svg\n",
            "logo:",
            9,
            "brand.logo should be a path inside the project: '../logo.svg'",
        ),
        ("brand:\n  fonts: {fr: Serif}\n", "fonts:", 11, "brand.fonts: unknown edition 'fr'"),
    ],
    ids=["unknown-edition", "twice", "default-not-listed", "script", "accent", "logo", "fonts"],
)
def test_bad_settings_are_located_errors(
    mini: Path, extra: str, where: str, col: int, message: str
) -> None:
    _dataset, errors = load(mini, extra)
    assert errors == [f"data/report.yaml:{line_of(mini, where)}:{col}: {message}"]


def test_an_english_only_project_needs_no_content_zh(mini: Path) -> None:
    (mini / "content" / "zh" / "climate.md").unlink()
    (mini / "content" / "zh").rmdir()
    load(mini, "editions: [en]\n")
    result = CliRunner().invoke(main, ["--project", str(mini), "check"])
    assert "content/zh" not in result.output, result.output
    assert result.exit_code == 0, result.output


def test_a_missing_english_chapter_is_reported_only_with_an_english_edition(mini: Path) -> None:
    (mini / "content" / "en" / "climate.md").unlink()
    result = CliRunner().invoke(main, ["--project", str(mini), "check"])
    assert "content/en/climate.md does not exist" in result.output
    load(mini, "editions: [zh-Hant, zh-Hans]\n")
    result = CliRunner().invoke(main, ["--project", str(mini), "check"])
    assert "content/en" not in result.output and result.exit_code == 0, result.output


def test_an_edition_the_project_does_not_publish_is_refused(mini: Path) -> None:
    load(mini, "editions: [zh-Hant, en]\n")
    result = CliRunner().invoke(main, ["--project", str(mini), "pdf", "--lang", "zh-Hans"])
    assert result.exit_code == 1
    assert (
        "unknown edition 'zh-Hans'; this project publishes zh-Hant, en "
        "(editions: in data/report.yaml)" in result.output
    )


def test_check_says_which_toolkit_files_are_in_force(mini: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(mini), "check"])
    lines = [ln for ln in result.output.splitlines() if ln.startswith("in force: ")]
    assert lines[0] == "in force: unit catalogue: the toolkit's, extended by data/units.yaml"
    assert lines[1].startswith("in force: glossary: the toolkit's (")
    assert lines[1].endswith("esgpress/resources/glossary.yaml)")
    assert lines[2].startswith("in force: framework catalogues: the toolkit's (")
    (mini / "data" / "frameworks.yaml").write_text("hkex:\n  A1: {zh: 排放, en: Emissions}\n")
    result = CliRunner().invoke(main, ["--project", str(mini), "check"])
    assert (
        "in force: framework catalogues: data/frameworks.yaml (replaces the toolkit's)"
        in result.output
    )


def test_the_house_glossary_is_the_default_and_a_project_entry_wins(mini: Path) -> None:
    dataset, _ = load(mini)
    loc = Localizer(dataset, "zh-Hant")  # type: ignore[arg-type]
    assert loc.hant("台湾的污染与湿度，借鉴后汇总") == "台灣的污染與濕度，借鑒後匯總"
    (mini / "data" / "glossary.yaml").write_text("characters:\n  臺: 臺\n", encoding="utf-8")
    dataset, errors = load(mini)
    assert errors == []
    assert Localizer(dataset, "zh-Hant").hant("台湾") == "臺灣"  # type: ignore[arg-type]


def test_a_traditional_source_prints_as_written_in_zh_hant_and_converts_for_zh_hans(
    mini: Path,
) -> None:
    dataset, _ = load(mini, "source_script: traditional\n")
    source = '臺灣據點的資料已彙整：{{ kpi("env.energy.total") }}\n'
    hant = render_source(mini, dataset, "zh-Hant", source, "content/zh/x.md")  # type: ignore[arg-type]
    hans = render_source(mini, dataset, "zh-Hans", source, "content/zh/x.md")  # type: ignore[arg-type]
    assert hant.startswith("臺灣據點的資料已彙整：300.00兆瓦時")
    assert hans.startswith("台湾据点的资料已汇整：300.00 兆瓦时")


def test_brand_text_colour_reads_on_white() -> None:
    assert text_colour("#1f6f78") == "#1f6f78"
    light = text_colour("#ff6900")
    assert contrast_on_white(light) >= 4.5 and light != "#ff6900"


def test_charts_use_the_brand_accent(mini: Path) -> None:
    from esgpress.render.write import render_edition

    chapter = mini / "content" / "en" / "climate.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + '\n{{ chart(["env.energy.total"], kind="bar", title="Energy") }}\n',
        encoding="utf-8",
    )
    dataset, _ = load(mini, 'brand:\n  accent: "#0b6e4f"\n')
    out = render_edition(mini, dataset, "en")  # type: ignore[arg-type]
    svgs = list((out / "charts").glob("*.svg"))
    text = "".join(p.read_text(encoding="utf-8") for p in svgs)
    assert svgs and "#0b6e4f" in text and "#ff6900" not in text


def test_mkdocs_languages_must_be_the_editions() -> None:
    langs = [
        SimpleNamespace(locale="zh-Hant", default=True),
        SimpleNamespace(locale="zh-Hans", default=False),
    ]
    i18n = SimpleNamespace(config=SimpleNamespace(languages=langs))
    meta = {"editions": ["zh-Hant", "en"], "default_edition": "zh-Hant"}
    with pytest.raises(PluginError) as exc:
        check_languages(i18n, meta)
    assert str(exc.value) == (
        "mkdocs.yml: plugins.i18n.languages lists zh-Hant, zh-Hans (default zh-Hant), but "
        "data/report.yaml publishes zh-Hant, en (default zh-Hant); list the same editions, "
        "with 'default: true' on the default one"
    )


@pytest.mark.parametrize(
    ("editions", "folders"), [("zh-Hant", ["zh"]), ("en", ["en"]), ("zh-Hans,en", ["en", "zh"])]
)
def test_new_writes_only_the_content_folders_of_its_editions(
    tmp_path: Path, editions: str, folders: list[str]
) -> None:
    args = ["new", str(tmp_path / "p"), "--company-zh", "示例集团", "--company-en", "Acme"]
    result = CliRunner().invoke(main, [*args, "--year", "2025", "--editions", editions])
    assert result.exit_code == 0, result.output
    project = tmp_path / "p"
    assert sorted(p.name for p in (project / "content").iterdir()) == folders
    mkdocs = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.findall(r"- locale: (\S+)", mkdocs) == editions.split(",")
    checked = CliRunner().invoke(main, ["--project", str(project), "check", "--strict"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1] == "no problems."


def test_new_refuses_a_folder_with_files_and_unknown_editions(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("x")
    base = ["new", "--company-zh", "甲", "--company-en", "A", "--year", "2025"]
    result = CliRunner().invoke(main, [*base, str(tmp_path / "p")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'p'}: the folder exists and is not empty; choose a new folder" in (
        result.output
    )
    result = CliRunner().invoke(main, [*base, str(tmp_path / "q"), "--editions", "zh-Hant,fr"])
    assert result.exit_code == 1
    assert "--editions: unknown edition 'fr'; give a comma-separated list of" in result.output
    assert not (tmp_path / "q").exists()


def test_print_uses_the_brand_colours_and_fonts_without_a_project_stylesheet(mini: Path) -> None:
    from esgpress.pdf.printhtml import assemble
    from esgpress.render.write import render_edition

    dataset, _ = load(
        mini, 'brand:\n  accent: "#0b6e4f"\n  fonts: {zh-Hant: \'"Noto Serif CJK HK", serif\'}\n'
    )
    render_edition(mini, dataset, "zh-Hant")  # type: ignore[arg-type]
    html = assemble(mini, dataset, "zh-Hant").html  # type: ignore[arg-type]
    assert (
        'html { break-before: right; font-family: "esgpress Latin", "Noto Serif CJK HK", serif; }'
        in html
    )
    assert "--accent: #0b6e4f;" in html and "@accent" not in html
    assert '<link rel="stylesheet"' not in html


def test_site_brand_fills_the_toolkit_stylesheet_and_adds_the_logo(tmp_path: Path) -> None:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    from esgpress.site.paths import TOOLKIT_SITE
    from esgpress.site.theme import brand_files

    (tmp_path / "docs").mkdir()
    (tmp_path / "acme.svg").write_text("<svg/>", encoding="utf-8")
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path / "docs"), "site_dir": "s"})
    config.validate()
    config.plugins._current_plugin = "esgpress"  # as during a build
    css = File("assets/esgpress.css", str(TOOLKIT_SITE), str(tmp_path / "s"), False)
    meta = {"brand": {"accent": "#0b6e4f", "logo": "acme.svg"}}
    files = brand_files(Files([css]), config, meta, tmp_path)
    branded = files.get_file_from_path("assets/esgpress.css")
    assert branded is not None and branded.abs_src_path is not None
    text = Path(branded.abs_src_path).read_text(encoding="utf-8")
    assert "--esg-accent: #0b6e4f;" in text and "@accent" not in text
    logo = files.get_file_from_path("assets/brand-logo.svg")
    assert logo is not None and logo.abs_src_path == str(tmp_path / "acme.svg")
