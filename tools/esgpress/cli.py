"""The ``esgpress`` command line: thin wrappers over the library.

Each command parses its options, calls one library function and lets
:class:`~esgpress.errors.EsgError` end the run with status 1 and the collected
messages. Heavy modules (WeasyPrint, MkDocs, matplotlib) are imported inside
the commands that need them, so ``esgpress check`` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from esgpress.errors import EsgError
from esgpress.model import EDITIONS

EDITION = click.Choice(EDITIONS)


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder upwards with ``data/report.yaml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "report.yaml").is_file():
            return folder
    raise EsgError(
        f"no esgpress project here: no data/report.yaml in {here} or above; "
        "run the command inside a project or pass --project"
    )


def _root(ctx: click.Context) -> Path:
    project = ctx.obj.get("project") if ctx.obj else None
    return find_root(Path(project) if project else None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", type=click.Path(file_okay=False), help="Project folder (default: found from here).")
@click.version_option(package_name="esgpress")
@click.pass_context
def main(ctx: click.Context, project: str | None) -> None:
    """Write and publish an ESG report in three editions from one data set."""
    ctx.ensure_object(dict)
    ctx.obj["project"] = project


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (unacknowledged discrepancies).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--data-only", is_flag=True, help="Check data/ only, not the chapters.")
@click.pass_context
def check(ctx: click.Context, strict: bool, fmt: str, data_only: bool) -> None:
    """Check the data and the chapters; print every problem with file and line.

    Exit status 1 on errors (and, with --strict, on warnings). Acknowledged
    discrepancies are listed but never fail the run.

    Example: esgpress check --strict
    """
    from esgpress.check import check_project, summary

    result = check_project(_root(ctx), content=not data_only)
    problems = list(result.problems)
    if fmt == "json":
        click.echo(json.dumps(
            {"problems": [p.to_json() for p in problems], "failed": result.failed(strict)},
            ensure_ascii=False, indent=2,
        ))
    else:
        for p in problems:
            click.echo(str(p), err=p.severity == "error")
        click.echo(summary(problems) + ".", err=True)
    if result.failed(strict):
        sys.exit(1)


@main.command()
@click.option("--lang", "edition", type=EDITION, default=None, help="Edition to render (default: all).")
@click.argument("file", required=False)
@click.pass_context
def render(ctx: click.Context, edition: str | None, file: str | None) -> None:
    """Render one chapter (or a template on stdin) and print the Markdown.

    Without FILE, render every chapter of every edition (or of --lang) into
    build/render/<edition>/, the folder the site and the PDF are built from.

    Example: echo '{{ kpi("env.energy.total") }}' | esgpress render --lang zh-Hant -
    """
    from esgpress.loader import load_project

    root = _root(ctx)
    dataset, _ = load_project(root)
    if file is None:
        from esgpress.build import render_edition

        for e in (edition,) if edition else EDITIONS:
            out = render_edition(root, dataset, e)
            click.echo(f"rendered {e} → {out.relative_to(root)}", err=True)
        return
    from esgpress.render import render_source

    if file == "-":
        source, display = sys.stdin.read(), "<stdin>"
    else:
        path = Path(file)
        try:
            source = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise EsgError(f"{file}: cannot read the file: {exc.strerror}") from None
        display = str(path.resolve().relative_to(root)) if path.resolve().is_relative_to(root) else file
    if edition is None:
        edition = "en" if "/en/" in f"/{display}" else "zh-Hans"
    click.echo(render_source(root, dataset, edition, source, display), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
