"""Tests for the Simplified → HK Traditional conversion layer (esgpress.editions, data.scripts)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esgpress.core.errors import EsgError
from esgpress.data.scripts import is_han
from esgpress.editions.converter import Converter
from esgpress.editions.glossary import Glossary, load_glossary
from esgpress.editions.leaks import Leak, find_script_leaks

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "data" / "glossary.yaml"
MEASURE_SCRIPT = REPO / "tools" / "measure_conversion.py"
REPORT = REPO.parent / "shared" / "reference" / "2024-annual-report.txt"

_SIMPLIFIED = "发展面积里面干燥头发后台数据网络报告制造温室气体污染小米集团编制并为了解"
_SIMPLIFIED_ALPHABET = _SIMPLIFIED + "，。、：；（）《》 0123456789.,%-abcXYZ/\n"


@pytest.fixture(scope="module")
def conv() -> Converter:
    return Converter(load_glossary(GLOSSARY))


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(GLOSSARY)


def write_glossary(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def glossary_errors(path: Path) -> list[str]:
    with pytest.raises(EsgError) as info:
        load_glossary(path)
    return [str(p) for p in info.value.problems]


# ---------------------------------------------------------------------------
# Regression list: known OpenCC mistakes and house-style choices

REGRESSIONS = [
    # OpenCC cross-word errors (OpenCC#1497, #542 and friends)
    ("9月台风登陆", "9月颱風登陸"),
    ("面积", "面積"),
    ("芯片面积", "芯片面積"),
    ("编制报告", "編製報告"),
    ("本次报告编制过程中", "本次報告編製過程中"),
    ("人员编制", "人員編制"),
    ("参与制造", "參與製造"),
    ("小米制造", "小米製造"),
    ("智能手机制造", "智能手機製造"),
    ("被发明", "被發明"),
    ("展示了", "展示了"),
    ("并发布了", "並發佈了"),
    ("我们的核心系统", "我們的核心系統"),
    ("保护发光面板", "保護發光面板"),
    ("报废后", "報廢後"),
    ("，并为用户提供", "，並為用戶提供"),
    ("合并为一个", "合併為一個"),
    # one-to-many characters OpenCC already gets right: keep it that way
    ("头发", "頭髮"),
    ("发展", "發展"),
    ("干部", "幹部"),
    ("干燥", "乾燥"),
    ("干涉", "干涉"),
    ("之后", "之後"),
    ("皇后", "皇后"),
    ("公里", "公里"),
    ("台风", "颱風"),
    # house glyphs: 溫 線 為 內 戶 說 裡 著 衛 啟, but 污 鑒 匯 台 濕
    ("温度", "溫度"),
    ("线路", "線路"),
    ("因为", "因為"),
    ("内部", "內部"),
    ("用户", "用戶"),
    ("说明", "說明"),
    ("里面", "裡面"),
    ("随着", "隨著"),
    ("卫生", "衛生"),
    ("启动", "啟動"),
    ("群体", "群體"),
    ("污水", "污水"),
    ("鉴证", "鑒證"),
    ("汇报", "匯報"),
    ("词汇", "詞彙"),
    ("平台", "平台"),
    ("湿地", "濕地"),
    # mainland/HK vocabulary is kept (no Taiwan vocabulary as in s2twp)
    ("信息", "信息"),
    ("网络", "網絡"),
    ("软件", "軟件"),
    ("数据", "數據"),
    ("质量", "質量"),
    ("项目", "項目"),
    # HK usage where OpenCC follows Taiwan or classical usage
    ("合作伙伴", "合作夥伴"),
    ("了解", "了解"),
    ("借助", "借助"),
    ("尽快", "盡快"),
    ("行业标杆", "行業標桿"),
    ("销毁", "銷毀"),
    ("折叠屏", "折疊屏"),
    # ESG terms
    ("范围一", "範圍一"),
    ("范围三", "範圍三"),
    ("温室气体", "溫室氣體"),
    ("碳中和", "碳中和"),
    # protected: the company writes its name with 团 in every edition
    ("小米集团", "小米集团"),
    ("小米集团发布报告", "小米集团發佈報告"),
]


@pytest.mark.parametrize(("simplified", "traditional"), REGRESSIONS)
def test_regression(conv: Converter, simplified: str, traditional: str) -> None:
    assert conv.to_hant(simplified) == traditional


@pytest.mark.xfail(
    strict=True,
    reason="known limitation: glossary phrases match across word boundaries (限制|造成)",
)
def test_phrase_across_word_boundary(conv: Converter) -> None:
    assert conv.to_hant("限制造成") == "限制造成"


def test_protected_term_kept_in_both_directions(conv: Converter) -> None:
    assert conv.to_hans("小米集团與小米集團") == "小米集团与小米集团"
    assert conv.to_hant("小米集团的发展") == "小米集团的發展"


def test_to_hans(conv: Converter) -> None:
    assert (
        conv.to_hans("本報告為小米集团發佈的環境報告，隨著")
        == "本报告为小米集团发布的环境报告，随着"
    )


def test_default_without_a_path_is_plain_opencc() -> None:
    # Never the toolkit checkout's own data/glossary.yaml: outside a project
    # there is no glossary, wherever the toolkit is installed.
    assert Converter.default().to_hant("小米集团") == "小米集團"
    assert Converter.default(GLOSSARY).to_hant("小米集团") == "小米集团"


def test_default_with_explicit_missing_path_fails(tmp_path: Path) -> None:
    with pytest.raises(EsgError, match="file not found"):
        Converter.default(tmp_path / "missing.yaml")


def test_empty_glossary_is_plain_opencc() -> None:
    assert Converter().to_hant("小米集团的污水") == "小米集團的汙水"


# ---------------------------------------------------------------------------
# What conversion must not touch


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2024年排放1,234.56吨，同比-3.5%", "2024年排放1,234.56噸，同比-3.5%"),
        ("Xiaomi HyperOS 发布 ISO 14001", "Xiaomi HyperOS 發佈 ISO 14001"),
        ("见 https://www.mi.com/csr?a=1&b=发 。", "見 https://www.mi.com/csr?a=1&b=發 。"),
        ("邮箱 mi-esg@xiaomi.com", "郵箱 mi-esg@xiaomi.com"),
    ],
)
def test_numbers_latin_urls_survive(conv: Converter, source: str, expected: str) -> None:
    assert conv.to_hant(source) == expected


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=_SIMPLIFIED_ALPHABET, max_size=40))
def test_only_han_characters_change(conv: Converter, text: str) -> None:
    out = conv.to_hant(text)
    assert len(out) == len(text)
    assert [c for c in out if not is_han(c)] == [c for c in text if not is_han(c)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("`里面` 里面", "`里面` 裡面"),
        ("``a ` 发展`` 发展", "``a ` 发展`` 發展"),
        ("```python\nx = '发展'\n```\n发展", "```python\nx = '发展'\n```\n發展"),
        ("~~~\n发展\n~~~~\n发展", "~~~\n发展\n~~~~\n發展"),
        ("```\n发展 (unclosed fence)\n", "```\n发展 (unclosed fence)\n"),
        (
            '<span class="发展" title="发展">发展</span>',
            '<span class="发展" title="发展">發展</span>',
        ),
        ("<!-- 发展 -->发展", "<!-- 发展 -->發展"),
        ("见<https://例子.com/发展>", "見<https://例子.com/发展>"),
        ("[发展](https://example.com/发展.pdf)", "[發展](https://example.com/发展.pdf)"),
        ("![发展](图/发展.png)", "![發展](图/发展.png)"),
        ("## 温室气体 { #ghg .wide }", "## 溫室氣體 { #ghg .wide }"),
        (
            "[范围一][范围一]\n\n[范围一]: https://x.com/范围一",
            "[範圍一][範圍一]\n\n[範圍一]: https://x.com/范围一",
        ),
    ],
)
def test_markdown_and_html_shields(conv: Converter, source: str, expected: str) -> None:
    assert conv.to_hant(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{% call case("节能案例") %}', '{% call case("節能案例") %}'),
        ("{{ note('温室气体', kind=\"fn\") }}", "{{ note('溫室氣體', kind=\"fn\") }}"),
        ('{{ f("a\\"发展") }}', '{{ f("a\\"發展") }}'),
        ("{{ kpi.scope_1 | fmt }}发展", "{{ kpi.scope_1 | fmt }}發展"),
        ("{%- if year > 2023 -%}发展{%- endif %}", "{%- if year > 2023 -%}發展{%- endif %}"),
        ("{# 注释里面 #}里面", "{# 注释里面 #}裡面"),
        ("{## 注释\n里面 ##}里面", "{## 注释\n里面 ##}裡面"),
        (
            "# 气候 {#climate}\n\n里面\n\n{## 注释 ##}",
            "# 氣候 {#climate}\n\n裡面\n\n{## 注释 ##}",
        ),
        ('{{ "“节能”" }}', '{{ "“節能”" }}'),
    ],
)
def test_jinja(conv: Converter, source: str, expected: str) -> None:
    assert conv.to_hant(source) == expected


@settings(max_examples=60, deadline=None)
@given(
    prose=st.text(alphabet=_SIMPLIFIED + "，。 ab", max_size=12),
    code=st.text(alphabet=_SIMPLIFIED + "ab +-*{}%#", min_size=1, max_size=12),
    jinja=st.text(alphabet=_SIMPLIFIED + "ab .|()", max_size=12),
)
def test_shielded_spans_are_byte_identical(
    conv: Converter, prose: str, code: str, jinja: str
) -> None:
    code_span, jinja_tag = f"`{code}`", "{{ " + jinja + " }}"
    out = conv.to_hant(f"{prose}{code_span}{prose}{jinja_tag}{prose}")
    assert code_span in out
    assert jinja_tag in out
    assert out.count("\n") == 0


# ---------------------------------------------------------------------------
# Punctuation


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("“节能”", "「節能」"),
        ("‘循环’", "『循環』"),
        ("他说：“我们要‘节能’。”", "他說：「我們要『節能』。」"),
        ("“ESG”与“Xiaomi’s plan”", "“ESG”與“Xiaomi’s plan”"),
        ("“{{ name }}的目标”", "「{{ name }}的目標」"),
        ("“{{ name }}”", "“{{ name }}”"),
        ("“未闭合", "“未閉合"),
    ],
)
def test_corner_quotes(conv: Converter, source: str, expected: str) -> None:
    assert conv.to_hant(source) == expected


def test_to_hans_leaves_quotes_alone(conv: Converter) -> None:
    assert conv.to_hans("「節能」“ESG”") == "「节能」“ESG”"


# ---------------------------------------------------------------------------
# Script leaks


def test_leaks_in_traditional_text(glossary: Glossary) -> None:
    text = '第一行\n我們的发展與小米集团\n  `发展` 和 {{ "发展" }} <https://x.com/发>'
    assert find_script_leaks(text, "zh-Hant", glossary) == [
        Leak(2, 4, "发", "發"),
        Leak(3, 14, "发", "發"),
    ]


def test_leaks_spare_characters_valid_in_context(glossary: Glossary) -> None:
    text = "干涉、公里、皇后、平台、温度、厘米"
    assert find_script_leaks(text, "zh-Hant", glossary) == []


def test_leak_suggestion_follows_context(glossary: Glossary) -> None:
    leaks = find_script_leaks("頭发與发展", "zh-Hant", glossary)
    assert [(x.col, x.suggestion) for x in leaks] == [(2, "髮"), (4, "發")]


def test_leaks_in_simplified_text(glossary: Glossary) -> None:
    text = "第一行\n我们的發展\n`發展` 乾隆"
    assert find_script_leaks(text, "zh-Hans", glossary) == [Leak(2, 4, "發", "发")]


def test_leaks_without_glossary() -> None:
    assert find_script_leaks("小米集团", "zh-Hant", None) == [Leak(1, 4, "团", "團")]


def test_leaks_reject_unknown_target() -> None:
    with pytest.raises(ValueError, match="zh-Hant"):
        find_script_leaks("发展", "zh-TW", None)  # type: ignore[arg-type]


def test_converted_text_has_no_leaks(conv: Converter, glossary: Glossary) -> None:
    source = "小米集团编制了温室气体排放报告，并发布了范围一至范围三的数据。"
    assert find_script_leaks(conv.to_hant(source), "zh-Hant", glossary) == []


# ---------------------------------------------------------------------------
# Glossary loading


def test_shipped_glossary_loads(glossary: Glossary) -> None:
    assert "小米集团" in glossary.protected
    assert glossary.phrase_map["面积"] == "面積"
    assert glossary.character_map["彙"].exceptions


def test_empty_glossary_file(tmp_path: Path) -> None:
    assert load_glossary(write_glossary(tmp_path, "# nothing yet\n")) == Glossary()


def test_glossary_duplicate_key(tmp_path: Path) -> None:
    path = write_glossary(
        tmp_path,
        """
        phrases:
          面积: 面積
          面积: 面積
        """,
    )
    assert glossary_errors(path) == [
        f"{path}:3:3: duplicate key '面积' (first on line 2); "
        "a later key would silently replace the earlier one"
    ]


def test_glossary_non_string_values(tmp_path: Path) -> None:
    path = write_glossary(
        tmp_path,
        """
        protected:
          - 小米集团
          - 123
        phrases:
          数字: 12
          列表: [a]
          空的:
        """,
    )
    assert glossary_errors(path) == [
        f"{path}:3:5: protected term must be a string, not '123'; quote it",
        f"{path}:5:7: target of phrase '数字' must be a string, not '12'; quote it",
        f"{path}:6:7: target of phrase '列表' must be a string, not a list",
        f"{path}:7:3: target of phrase '空的' is empty",
    ]


def test_glossary_source_must_be_simplified(tmp_path: Path) -> None:
    path = write_glossary(
        tmp_path,
        """
        phrases:
          面積: 面積
          ESG: ESG
        """,
    )
    assert glossary_errors(path) == [
        f"{path}:2:3: phrase source '面積' is not Simplified Chinese (Simplified: '面积'); "
        "the source side is what writers type",
        f"{path}:3:3: phrase source 'ESG' contains no Chinese characters; "
        "Latin text is never converted and needs no entry",
    ]


def test_glossary_target_must_be_traditional(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "phrases:\n  编制报告: 编製报告\n  厘米: 厘米\n")
    assert glossary_errors(path) == [
        f"{path}:2:9: target '编製报告' of phrase '编制报告' still has Simplified characters "
        "(编→編, 报→報)"
    ]


def test_glossary_refuses_aliases(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "phrases:\n  面积: &x 面積\n  体积: *x\n")
    assert glossary_errors(path) == [
        f"{path}:3:7: alias '*x' is not allowed in data files; "
        "write the value out where it is used",
    ]


def test_glossary_yaml_syntax_error(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "phrases:\n  面积: [面積\n")
    assert glossary_errors(path) == [
        f"{path}:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"
    ]


def test_glossary_unknown_section(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "phrase:\n  面积: 面積\n")
    assert glossary_errors(path) == [
        f"{path}:1:1: unknown section 'phrase' (did you mean phrases?); "
        "expected protected, phrases, characters, usage, en"
    ]


def test_glossary_character_rules(tmp_path: Path) -> None:
    path = write_glossary(
        tmp_path,
        """
        characters:
          汇: 匯
          鑑: 鑒鑒
          彙: {to: 匯, except: [发展]}
          汙: {except: [污水]}
          臺: 台
          臺: 台
        """,
    )
    assert glossary_errors(path) == [
        f"{path}:2:3: character override source '汇' is Simplified; OpenCC never outputs it; "
        "use the Traditional character",
        f"{path}:3:6: target of '鑑' must be a single Chinese character, not '鑒鑒'",
        f"{path}:4:23: exception '发展' does not contain '彙' after OpenCC s2tw (發展), "
        "so it has no effect",
        f"{path}:5:6: override for '汙' needs a 'to' field",
        f"{path}:7:3: duplicate key '臺' (first on line 6); "
        "a later key would silently replace the earlier one",
    ]


def test_glossary_errors_are_collected_and_sorted(tmp_path: Path) -> None:
    path = write_glossary(
        tmp_path,
        """
        characters:
          汇: 匯
        phrases:
          面積: 面積
        protected:
          - 1
        """,
    )
    assert [p.split(": ")[0] for p in glossary_errors(path)] == [
        f"{path}:2:3",
        f"{path}:4:3",
        f"{path}:6:5",
    ]


def test_glossary_character_exception_keeps_opencc_form(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "characters:\n  彙: {to: 匯, except: [词汇]}\n")
    assert Converter(load_glossary(path)).to_hant("词汇汇报") == "詞彙匯報"


def test_glossary_error_exits_like_a_user_error(tmp_path: Path) -> None:
    path = write_glossary(tmp_path, "phrases:\n  面積: 面積\n")
    with pytest.raises(EsgError) as info:
        load_glossary(path)
    assert info.value.exit_code == 1
    assert str(path) + ":2:3:" in info.value.format_message()


# ---------------------------------------------------------------------------
# Measurement


def load_measure_module() -> ModuleType:
    """Import tools/measure_conversion.py, which is a script rather than a package module."""
    if "measure_conversion" in sys.modules:
        return sys.modules["measure_conversion"]
    spec = importlib.util.spec_from_file_location("measure_conversion", MEASURE_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_measure_script_missing_report(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    run = subprocess.run(
        [sys.executable, str(MEASURE_SCRIPT), "--report", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert f"report not found: {missing}" in run.stderr


def test_unwrap_removes_only_breaks_inside_han_runs() -> None:
    measure = load_measure_module()
    assert (
        measure.unwrap("本報告旨\n\n在客觀\n公允。\n\nESG報\n告")
        == "本報告旨在客觀公允。\n\nESG報告"
    )


@pytest.mark.slow
@pytest.mark.skipif(not REPORT.is_file(), reason=f"reference report not found at {REPORT}")
def test_round_trip_accuracy_on_held_out_text() -> None:
    measure = load_measure_module()
    result = measure.measure(REPORT, GLOSSARY)
    held_out = result.converter["held-out"]
    assert held_out.han > 25_000
    assert result.held_out >= 0.999, held_out.pairs.most_common(10)
    assert result.held_out > result.presets["s2tw"]["held-out"].accuracy
