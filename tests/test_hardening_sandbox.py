"""Hardening (issue #9): what a chapter may run.

Each test fails when the chapter-language check (esgpress.render.sandbox) is
removed: every construct outside the documented functions is refused, with the
chapter's file and line, before anything runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import append, render_stdin
from esgpress.cli import main

HINT = "chapters can use only the documented functions (docs/writing-chapters.md)"


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
    # (How fast it stops is timed by make bench: tools/bench_hostile.py, constant_fold.)
    code, output = render_stdin(mini, "{{ 'a' * 10**10 }}{{ 9**9**9 }}\n")
    assert code == 1
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
