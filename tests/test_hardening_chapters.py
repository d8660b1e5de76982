"""Hardening (issue #9): chapter files in legacy encodings, with BOMs or oversized.

Each test fails when the chapter reader's checks are removed: a chapter that is
not UTF-8 is a message at its line and column (naming GBK/Big5 when the bytes
look like Chinese) instead of a traceback, a BOM and Windows line
ends render the same, and an oversized chapter is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import save_as_windows
from esgpress.cli import main

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
    save_as_windows(chapter)
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
