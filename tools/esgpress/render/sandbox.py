"""The chapter language: which parts of Jinja a chapter may use, checked before it runs.

Chapters are written by many people and the report is a legal document, so a
chapter must not be able to run anything but the documented functions
(docs/writing-chapters.md). Jinja's sandbox already blocks Python internals
at run time, but it still lets a template loop, multiply strings, define
recursive macros, read other templates or shadow a function with ``{% set %}``;
each of those can hang a build, exhaust memory or make a figure lie.

So before a chapter is compiled, its syntax tree is checked against an
allowlist: text, calls of the chapter's functions with literal arguments
(strings, numbers, lists, ``True``/``False``/``None``, keywords) and
``{% call case(...) %}`` blocks. Everything else (attribute or item access,
filters, operators, loops, conditions, variables, macros, includes, imports,
``extends``) is refused with the line it is on. Because nothing computes, a
chapter renders in time linear in its length, and the sandbox stays as a
second wall behind this one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from jinja2 import Environment, nodes

from esgpress.core.errors import did_you_mean

#: Statements a writer might try, by node type, with what to say about each.
STATEMENTS: dict[type[nodes.Node], str] = {
    nodes.For: "{% for %} loops",
    nodes.If: "{% if %} conditions",
    nodes.Assign: "{% set %} variables",
    nodes.AssignBlock: "{% set %} variables",
    nodes.Macro: "{% macro %} definitions",
    nodes.Block: "{% block %} sections",
    nodes.Extends: "{% extends %} (it cannot read other templates)",
    nodes.Include: "{% include %} (it cannot read other files)",
    nodes.Import: "{% import %} (it cannot read other files)",
    nodes.FromImport: "{% from … import %} (it cannot read other files)",
    nodes.FilterBlock: "{% filter %} blocks",
    nodes.With: "{% with %} blocks",
    nodes.Scope: "scoped blocks",
    nodes.ScopedEvalContextModifier: "{% autoescape %} blocks",
    nodes.EvalContextModifier: "{% autoescape %} blocks",
    nodes.ExprStmt: "{% do %} statements",
    nodes.Continue: "{% continue %}",
    nodes.Break: "{% break %}",
}

#: Expressions that compute or reach into objects, with what to say about each.
EXPRESSIONS: dict[type[nodes.Node], str] = {
    nodes.Getattr: "attribute access (x.name)",
    nodes.Getitem: "item access (x[...])",
    nodes.Slice: "slices (x[a:b])",
    nodes.Filter: "filters (x|name)",
    nodes.Test: "tests (x is name)",
    nodes.BinExpr: "arithmetic and operators",
    nodes.UnaryExpr: "arithmetic and operators",
    nodes.Compare: "comparisons",
    nodes.CondExpr: "conditional expressions (a if b else c)",
    nodes.Concat: "string concatenation (~)",
    nodes.Dict: "dictionaries ({...})",
    nodes.NSRef: "namespace assignments",
}

DOCS = "docs/writing-chapters.md"


def chapter_problems(
    env: Environment, text: str, functions: Collection[str]
) -> list[tuple[int, str]]:
    """Return (line, message) for every construct of ``text`` outside the chapter language.

    Raises :class:`jinja2.TemplateSyntaxError` when the text does not parse.
    """
    checker = _Checker(frozenset(functions))
    return list(checker.template(env.parse(text)))


class _Checker:
    """Walk a parsed chapter; yield a located message for each construct not allowed."""

    def __init__(self, functions: frozenset[str]) -> None:
        self.functions = functions

    def template(self, node: nodes.Template) -> Iterator[tuple[int, str]]:
        yield from self.body(node.body)

    def body(self, body: list[nodes.Node]) -> Iterator[tuple[int, str]]:
        for stmt in body:
            if isinstance(stmt, nodes.Output):
                for item in stmt.nodes:
                    if not isinstance(item, nodes.TemplateData):
                        yield from self.output(item)
            elif isinstance(stmt, nodes.CallBlock):
                yield from self.call_block(stmt)
            else:
                what = STATEMENTS.get(type(stmt), f"'{type(stmt).__name__}' statements")
                yield stmt.lineno, f"a chapter cannot use {what}; {self.hint()}"

    def output(self, node: nodes.Node) -> Iterator[tuple[int, str]]:
        if isinstance(node, nodes.Call):
            yield from self.call(node)
        elif isinstance(node, nodes.Name):
            yield from self.name(node)
        else:
            yield from self.literal(node)

    def call_block(self, node: nodes.CallBlock) -> Iterator[tuple[int, str]]:
        if node.args or node.defaults:
            yield node.lineno, "a chapter cannot use {% call(...) %} with arguments"
        yield from self.call(node.call)
        yield from self.body(node.body)

    def call(self, node: nodes.Call) -> Iterator[tuple[int, str]]:
        if not isinstance(node.node, nodes.Name):
            yield from self.literal(node.node)
            return
        if node.node.name not in self.functions:
            yield from self.name(node.node)
            return
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            yield node.lineno, "a chapter cannot use *args or **kwargs in a call"
        for arg in node.args:
            yield from self.literal(arg)
        for kw in node.kwargs:
            yield from self.literal(kw.value)

    def name(self, node: nodes.Name) -> Iterator[tuple[int, str]]:
        if node.name in self.functions:
            yield node.lineno, f"'{node.name}' is a function; call it: {node.name}(...)"
        else:
            yield (
                node.lineno,
                f"'{node.name}' does not exist in chapters"
                f"{did_you_mean(node.name, self.functions)}; {self.hint()}",
            )

    def literal(self, node: nodes.Node) -> Iterator[tuple[int, str]]:
        """Arguments are constants, lists and tuples of constants, or calls of our functions."""
        if isinstance(node, nodes.Const):
            return
        if isinstance(node, (nodes.List, nodes.Tuple)):
            for item in node.items:
                yield from self.literal(item)
        elif isinstance(node, (nodes.Neg, nodes.Pos)) and isinstance(node.node, nodes.Const):
            return
        elif isinstance(node, nodes.Call):
            yield from self.call(node)
        elif isinstance(node, nodes.Name):
            yield from self.name(node)
        else:
            what = EXPRESSIONS.get(type(node))
            if what is None:
                what = next(
                    (m for t, m in EXPRESSIONS.items() if isinstance(node, t)),
                    f"'{type(node).__name__}' expressions",
                )
            yield node.lineno, f"a chapter cannot use {what}; {self.hint()}"

    def hint(self) -> str:
        return f"chapters can use only the documented functions ({DOCS})"
