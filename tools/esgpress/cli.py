"""The ``esgpress`` command line: thin wrappers over the library.

Each command parses its options, calls one library function (the whole
build is :func:`esgpress.pipeline.build_all`), prints what it returns and lets
:class:`~esgpress.core.errors.EsgError` end the run with status 1 and the collected
messages. Heavy modules (WeasyPrint, MkDocs, matplotlib) are imported inside
the commands that need them, so ``esgpress check`` starts fast.

Longer than 400 lines because it is the options and ``--help`` text of every
command (about half the file) in one place, where a user-facing change of
the command line goes; each command's body is a few lines around one
library call. :class:`EsgpressGroup` gives every command the common options
(``--project``, ``-q``, ``-v``) and turns an :class:`OSError` at the boundary
into a message with the path, so no ordinary mistake ends in a traceback.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from esgpress.core import console
from esgpress.core.errors import (
    MAX_PER_KIND,
    EsgError,
    Problem,
    capped_lines,
    kind_of,
    os_error_message,
)
from esgpress.core.files import require_folder
from esgpress.data.model import EDITIONS
from esgpress.pipeline import build_all as run_build_all
from esgpress.pipeline import find_root, print_editions, print_summaries, publish_site

if TYPE_CHECKING:
    from esgpress.pdf.proof import Proof

EDITION = click.Choice(EDITIONS)
F = TypeVar("F", bound=Callable[..., Any])


def edition_option(help_text: str) -> Callable[[F], F]:
    """Give a one-edition command its ``--lang`` option (default: the project's default edition)."""
    return click.option(
        "--lang",
        "edition",
        type=EDITION,
        default=None,
        help=help_text + " [default: default_edition of data/report.yaml]",
    )


def _root(ctx: click.Context) -> Path:
    """Return the project: ``--project``, else found from the folder the command runs in."""
    project = ctx.obj.get("project") if ctx.obj else None
    return find_root(Path(project) if project else Path.cwd())


class _EchoReporter:
    """Word the steps of ``build-all`` on the terminal (stderr, but the PDF paths)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.shown: dict[tuple[str, str], int] = {}

    def problem(self, problem: Problem) -> None:
        """Print the problem; past MAX_PER_KIND of one kind, say once that more are hidden."""
        kind = kind_of(problem)
        self.shown[kind] = self.shown.get(kind, 0) + 1
        if self.shown[kind] <= MAX_PER_KIND:
            click.echo(str(problem), err=True)
        elif self.shown[kind] == MAX_PER_KIND + 1:
            click.echo(
                f"… and more like this ({problem.message}); "
                "esgpress check --format json lists every one",
                err=True,
            )

    def checked(self, summary: str) -> None:
        console.say(f"check: {summary}.")

    def pdf_written(self, path: Path) -> None:
        click.echo(str(path.relative_to(self.root)))

    def site_built(self, summary: str) -> None:
        console.say(summary)


def _set_project(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)["project"] = value


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        console.set_verbosity(console.QUIET if param.name == "quiet" else console.VERBOSE)


#: Options every command takes, before or after its name (``esgpress check --project x``).
COMMON_OPTIONS = (
    ("--project", _set_project, "Project folder (default: found from here).", False),
    ("-q/--quiet", _set_verbosity, "Print only errors and warnings on stderr.", True),
    ("-v/--verbose", _set_verbosity, "Print more detail (MkDocs' own log).", True),
)


def _common_options() -> list[click.Option]:
    options = []
    for decl, callback, help_text, flag in COMMON_OPTIONS:
        short, _, long = decl.rpartition("/")
        names = [n for n in (short, long or decl) if n]
        options.append(
            click.Option(
                names,
                is_flag=flag,
                expose_value=False,
                callback=callback,
                help=help_text,
                type=None if flag else click.Path(file_okay=False),
            )
        )
    return options


class EsgpressGroup(click.Group):
    """The command group: common options on every command, no traceback for OS errors.

    A file that cannot be read or written (a missing folder, no permission, a
    full disk) ends the command with the path and the reason, as a user error.
    """

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        known = {o for p in cmd.params for o in getattr(p, "opts", [])}
        cmd.params.extend(o for o in _common_options() if not set(o.opts) & known)
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            raise EsgError(os_error_message(exc)) from None


@click.group(cls=EsgpressGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="esgpress")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Write and publish an ESG report in three editions from one data set.

    \b
    Start with:
      esgpress doctor          what this machine still needs
      esgpress check --strict  data and chapters
      esgpress build-all       the site and the PDFs
    """
    ctx.ensure_object(dict)


for _option in _common_options():
    main.params.append(_option)


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (unacknowledged discrepancies).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format."
)
@click.option("--data-only", is_flag=True, help="Check data/ only, not the chapters.")
@click.pass_context
def check(ctx: click.Context, strict: bool, fmt: str, data_only: bool) -> None:
    """Check the data and the chapters; print every problem with file and line.

    Exit status 1 on errors (and, with --strict, on warnings). Acknowledged
    discrepancies are listed but never fail the run.

    \b
    Example:
      esgpress check --strict
    """
    from esgpress.checks.run import check_project, summary
    from esgpress.core.resources import in_force

    root = _root(ctx)
    result = check_project(root, content=not data_only)
    problems = list(result.problems)
    sources = [s.describe(root) for s in in_force(root)]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "problems": [p.to_json() for p in problems],
                    "failed": result.failed(strict),
                    "in_force": sources,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        # The whole report on one stream (stdout), in order: redirectable as one file.
        for line in capped_lines(problems):  # at most MAX_PER_KIND of each kind
            click.echo(line)
        for line in sources:  # which toolkit files the project extends or replaces
            click.echo(f"in force: {line}")
        click.echo(summary(problems) + ".")
    if result.failed(strict):
        sys.exit(1)


@main.command()
@click.option(
    "--lang", "edition", type=EDITION, default=None, help="Edition to render (default: all)."
)
@click.option(
    "--in-context",
    is_flag=True,
    help="Render the chapters before FILE first: note numbers and the content index as built.",
)
@click.argument("file", required=False)
@click.pass_context
def render(ctx: click.Context, edition: str | None, in_context: bool, file: str | None) -> None:
    """Render one chapter (or a template on stdin) and print the Markdown.

    Without FILE, render every chapter of every edition (or of --lang) into
    build/render/<edition>/, the folder the site and the PDF are built from.
    A chapter or snippet renders alone (notes numbered from 1) unless
    --in-context is given.

    \b
    Example:
      echo '{{ kpi("env.energy.total") }}' | esgpress render --lang zh-Hant -
    """
    from esgpress.data.loader import load_project

    root = _root(ctx)
    dataset, _ = load_project(root)
    if file is None:
        from esgpress.core.files import project_lock
        from esgpress.render.write import render_edition

        with project_lock(root, "esgpress render"):
            for e in (edition,) if edition else dataset.report.editions:
                out = render_edition(root, dataset, e)
                console.say(f"rendered {e} → {out.relative_to(root)}")
        return
    from esgpress.render.renderer import (
        chapter_display,
        edition_of,
        read_chapter_file,
        render_source,
    )

    if file == "-":
        source, display = sys.stdin.read(), "<stdin>"
    else:
        display = chapter_display(root, Path(file), file)
        source = read_chapter_file(Path(file), display)  # as the build reads chapters
    if edition is None:
        edition = edition_of(display)
    click.echo(render_source(root, dataset, edition, source, display, in_context), nl=False)


@main.command()
@click.option(
    "--to",
    "target",
    type=click.Choice(["zh-Hant", "zh-Hans"]),
    required=True,
    help="Target script.",
)
@click.argument("file", default="-")
@click.pass_context
def convert(ctx: click.Context, target: str, file: str) -> None:
    """Convert Chinese text between scripts with the project glossary (stdin to stdout).

    Numbers, Latin text, URLs, code spans and template syntax are never touched.

    \b
    Example:
      esgpress convert --to zh-Hant content/zh/climate.md
    """
    from esgpress.editions.converter import Converter
    from esgpress.editions.glossary import load_glossary
    from esgpress.render.renderer import read_chapter_file

    try:
        root: Path | None = _root(ctx)
    except EsgError:
        root = None
    glossary = root / "data" / "glossary.yaml" if root else None
    conv = (
        Converter(load_glossary(glossary, "data/glossary.yaml"))
        if glossary and glossary.is_file()
        else Converter.default()
    )
    text = sys.stdin.read() if file == "-" else read_chapter_file(Path(file), file)
    click.echo(conv.to_hant(text) if target == "zh-Hant" else conv.to_hans(text), nl=False)


@main.command("mark-reviewed")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def mark_reviewed_cmd(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Record that English chapters were checked against their current Chinese source.

    \b
    Example:
      esgpress mark-reviewed content/en/climate.md
    """
    from esgpress.core.files import project_lock
    from esgpress.workflows.review import mark_chapters_reviewed

    with project_lock(_root(ctx), "esgpress mark-reviewed"):
        reviewed = list(mark_chapters_reviewed(_root(ctx), files))
    for f, digest in reviewed:
        click.echo(f"{f}: reviewed against content/zh/{Path(f).name} ({digest})")


@main.command("diff-source")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def diff_source(ctx: click.Context, file: str) -> None:
    """Show what changed in the Chinese source since an English chapter was reviewed.

    \b
    Example:
      esgpress diff-source content/en/climate.md
    """
    from esgpress.checks.review import source_diff

    diff = source_diff(_root(ctx), file)
    unchanged = f"content/zh/{Path(file).stem}.md has not changed since review."
    click.echo(diff or unchanged, nl=not diff)


@main.command("build-all")
@click.option("--strict/--no-strict", default=True, help="Fail on unacknowledged warnings.")
@click.pass_context
def build_all(ctx: click.Context, strict: bool) -> None:
    """Check, render every edition, then build the site and the PDFs (what `make report` runs).

    \b
    Example:
      esgpress build-all
    """
    root = _root(ctx)
    if not run_build_all(root, strict, _EchoReporter(root)):
        sys.exit(1)


@main.command()
@click.option(
    "--lang",
    "editions",
    type=EDITION,
    multiple=True,
    help="Edition to print; repeat for several (default: all three).",
)
@click.option(
    "--variant",
    type=click.Choice(["pdf/ua-1", "pdf/a-3b"]),
    default="pdf/ua-1",
    show_default=True,
    help="pdf/ua-1: tagged, accessible; pdf/a-3b: archival, KPI data attached as CSV.",
)
@click.option(
    "--layout",
    type=click.Choice(["screen", "print"]),
    default="screen",
    show_default=True,
    help="screen: chapters on the next page, no blank pages (the site's download); "
    "print: chapters on a right-hand page, written as <name>-print.pdf.",
)
@click.option("--force", is_flag=True, help="Lay out again even if a PDF is up to date.")
@click.option(
    "--summary",
    is_flag=True,
    help="Build the executive summary: dist/<slug>-<year>-summary-<edition>.pdf.",
)
@click.option(
    "--no-render",
    is_flag=True,
    help="Print build/render as it is, without rendering the chapters first.",
)
@click.option(
    "--proof",
    "proof",
    metavar="CHAPTER",
    default=None,
    help="Lay out one chapter with its page numbers from the last full build, "
    "marked 'proof': build/proof/<edition>/<chapter>.pdf.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="With --proof: lay the chapter out again whenever a source is saved (Ctrl+C stops).",
)
@click.pass_context
def pdf(
    ctx: click.Context,
    editions: tuple[str, ...],
    variant: str,
    layout: str,
    force: bool,
    summary: bool,
    no_render: bool,
    proof: str | None,
    watch: bool,
) -> None:
    """Build the print edition: dist/<slug>-<year>-<edition>.pdf.

    Renders the chapters (as `esgpress render` does), writes the print HTML to
    build/print/<edition>/report.html and lays the editions out in parallel.
    A missing glyph, a missing image, a table wider than the page or a
    resource outside the project fails the build; the previous PDFs in dist/
    stay as they were.

    \b
    Example:
      esgpress pdf --lang zh-Hant --variant pdf/a-3b
      esgpress pdf --layout print
      esgpress pdf --proof climate --lang zh-Hant --watch
    """
    root = _root(ctx)
    chosen = tuple(dict.fromkeys(editions)) or None
    if watch and (proof is None or (chosen and len(chosen) > 1)):
        raise click.UsageError("--watch needs --proof CHAPTER and at most one --lang")
    if proof is not None:
        _proof(root, proof, chosen, watch)
        return
    if summary:
        paths = print_summaries(root, chosen, force=force, render=not no_render)
    else:
        paths = print_editions(
            root, chosen, variant=variant, force=force, render=not no_render, layout=layout
        )
    for path in paths.values():
        click.echo(str(path.relative_to(root)))


def _proof(root: Path, chapter: str, editions: tuple[str, ...] | None, watch: bool) -> None:
    """``esgpress pdf --proof``: one proof per edition asked for (default: the default edition)."""
    from esgpress.pipeline import proof_chapter

    if watch:
        _watch_proof(root, chapter, editions[0] if editions else None)
        return
    for edition in editions or (None,):
        _said_proof(root, proof_chapter(root, chapter, edition))


def _watch_proof(root: Path, chapter: str, edition: str | None) -> None:
    import threading

    from esgpress.pipeline import watch_proof_chapter

    def report(made: Proof | None, message: str | None) -> None:
        if made is not None:
            _said_proof(root, made)
        else:
            console.warn(f"proof failed: {message}")

    console.warn(f"watching the sources of {chapter}; the proof is rebuilt on save (Ctrl+C stops)")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how the watcher ends
        watch_proof_chapter(root, chapter, edition, report, threading.Event())


def _said_proof(root: Path, made: Proof) -> None:
    """Tell what a proof is and where it went."""
    if not made.from_full_build:
        console.warn(
            f"proof {made.edition}: no full build has recorded the pages yet; "
            f"numbered from {made.first_page} (run `esgpress pdf` once for true numbers)"
        )
    console.say(
        f"proof {made.edition}: {made.chapter}, pages {made.first_page}–"
        f"{made.first_page + made.pages - 1} ({made.seconds:.1f} s)"
    )
    click.echo(str(made.pdf.relative_to(root)))


@main.command("build")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write the site to (default: site/).",
)
@click.pass_context
def build_command(ctx: click.Context, site_dir: str | None) -> None:
    """Render the three editions and build the microsite into site/.

    Renders every chapter into build/render/<edition>/, generates the site
    pages (landing page, chapters, data centre with CSV/XLSX/JSON downloads)
    into build/site-docs/<locale>/ and builds the site with MkDocs in strict
    mode: any warning fails the build. PDFs found in dist/ are linked and
    copied; build them first (make report does).

    \b
    Example:
      esgpress build
    """
    report = publish_site(_root(ctx), site_dir=Path(site_dir) if site_dir else None)
    console.say(report.summary())


@main.command()
@edition_option("Edition to preview.")
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_context
def serve(ctx: click.Context, edition: str | None, dev_addr: str, open_browser: bool) -> None:
    """Preview one edition of the site, re-rendered when a chapter or the data changes.

    Builds only the chosen language (at the root of the preview) and watches
    content/ and data/: saving a chapter or data/kpis.yaml re-renders the
    edition and reloads the page. Stop with Ctrl+C.

    \b
    Example:
      esgpress serve --lang en
    """
    from esgpress.site.serve import preview_url, serve_site

    root = _root(ctx)
    if edition is None:  # the project's default edition (data/report.yaml)
        from esgpress.data.loader import load_project

        edition = load_project(root)[0].report.default_edition
    console.warn(
        f"previewing {edition} at {preview_url(dev_addr)} (the first build takes a few "
        "seconds; stop with Ctrl+C)"
    )
    serve_site(root, edition, dev_addr=dev_addr, open_browser=open_browser)


# ---------------------------------------------------------------- data workflows


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "json"]),
    required=True,
    help="File format.",
)
@edition_option("Language of labels, units and notes.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write (default: dist/<slug>-<year>-data-<lang>.<format>).",
)
@click.pass_context
def export_command(ctx: click.Context, fmt: str, edition: str | None, out: str | None) -> None:
    """Export the whole data set: one row per figure, with codes, assurance and notes.

    XLSX has one sheet per topic with numbers stored as numbers; a data owner
    can edit it and give it back to `esgpress import`.

    \b
    Example:
      esgpress export --format xlsx --lang en --out kpis-2024.xlsx
    """
    from esgpress.core.files import project_lock
    from esgpress.data.loader import load_project
    from esgpress.editions.i18n import Localizer
    from esgpress.workflows.export import default_export_path, export_dataset

    root = _root(ctx)
    if out:
        require_folder(out, "--out")
    with project_lock(root, "esgpress export"):  # one data set, even while import runs
        dataset, _ = load_project(root)
        edition = edition or dataset.report.default_edition
        path = Path(out) if out else default_export_path(root, dataset, edition, fmt)
        export_dataset(dataset, Localizer(dataset, edition), fmt, path)  # type: ignore[arg-type]
    click.echo(str(path))


@main.command("template")
@click.option("--year", type=int, required=True, help="Year to collect figures for.")
@click.option(
    "--out", type=click.Path(dir_okay=False), required=True, help="Workbook to write (.xlsx)."
)
@click.option("--owner", default=None, help="Only the indicators of this owner (e.g. facilities).")
@edition_option("Language of the workbook.")
@click.pass_context
def template_command(
    ctx: click.Context, year: int, out: str, owner: str | None, edition: str | None
) -> None:
    """Write a data-collection workbook for data owners.

    One row per indicator the owner supplies, the last years for reference,
    an empty column for YEAR, the unit and definition, and validation that
    lets through only numbers and missing-value codes.

    \b
    Example:
      esgpress template --year 2025 --owner facilities --out collect-2025.xlsx
    """
    from esgpress.core.files import write_atomic
    from esgpress.data.loader import load_project
    from esgpress.editions.i18n import Localizer
    from esgpress.workflows.workbook import template_bytes

    root = _root(ctx)
    require_folder(out, "--out")
    dataset, _ = load_project(root)
    edition = edition or dataset.report.default_edition
    data = template_bytes(dataset, Localizer(dataset, edition), year, owner)
    write_atomic(Path(out), data)
    click.echo(out)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.pass_context
def import_command(ctx: click.Context, file: str, dry_run: bool) -> None:
    """Merge a filled collection workbook (or an edited XLSX export) into data/kpis.yaml.

    Every cell is checked first; any bad cell is reported as Sheet!Cell and
    nothing is written. Only the changed figures change in the file. A
    changed figure of a published year needs a restatement reason.

    \b
    Example:
      esgpress import collect-2025.xlsx --dry-run
    """
    from zipfile import BadZipFile

    from esgpress.workflows.importer import import_workbook

    try:
        result = import_workbook(_root(ctx), Path(file), dry_run=dry_run)
    except BadZipFile:
        raise EsgError(
            f"{file}: not an XLSX workbook (an .xlsx file is a zip archive; this one is not); "
            "save it from Excel or LibreOffice as .xlsx"
        ) from None
    if not result.changes:
        click.echo("nothing to change: the workbook agrees with data/kpis.yaml")
        return
    n = len(result.changes)
    verb = "would change" if dry_run else "changed"
    click.echo(f"data/kpis.yaml: {verb} {n} figure{'s' if n != 1 else ''}")
    for change in result.changes:
        click.echo("  " + change.describe())
    for p in result.findings:
        click.echo(f"check: {p}", err=True)
    if dry_run:
        console.say("dry run: nothing written")


@main.command("new-year")
@click.argument("year", type=int)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.pass_context
def new_year_command(ctx: click.Context, year: int, dry_run: bool) -> None:
    """Roll the project forward to YEAR: report year, period, comparison years, titles.

    Chapters need no edit; figures not yet collected print as not reported
    and `esgpress check` lists them by owner.

    \b
    Example:
      esgpress new-year 2025
    """
    from esgpress.workflows.rollover import new_year

    out = new_year(_root(ctx), year, dry_run=dry_run)
    click.echo(f"data/report.yaml: {'would roll' if dry_run else 'rolled'} forward to {year}")
    for line in out.changes:
        click.echo("  " + line)
    for line in out.to_check:
        click.echo(f"check by hand: {line}", err=True)


@main.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check what this machine needs beyond pip: Python, Pango, HarfBuzz, fonts, poppler.

    Each edition's fonts are asked of fontconfig (so FONTCONFIG_FILE counts):
    inside a project, its editions and brand fonts (data/report.yaml);
    elsewhere, every edition the toolkit builds with its default fonts.
    Every missing piece is listed with the Debian package that provides it.
    Exit status 1 when the report cannot be built. `esgpress pdf` runs the
    font part of it first.

    \b
    Example:
      esgpress doctor
    """
    from esgpress.pdf.doctor import diagnose, report
    from esgpress.pdf.printhtml import FONTS

    editions, stacks = EDITIONS, dict(FONTS)
    from esgpress.data.loader import load_project

    try:
        dataset, _ = load_project(_root(ctx))
    except EsgError:  # no project here, or one `esgpress check` must fix first
        dataset = None
    if dataset is not None:
        editions = dataset.report.editions
        stacks.update({e: dataset.report.brand.font(e) or FONTS[e] for e in editions})
    text, ok = report(diagnose(stacks, editions))
    click.echo(text)
    if not ok:
        sys.exit(1)


@main.command("schemas")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="schemas",
    show_default=True,
    help="Folder to write the JSON Schemas to.",
)
def schemas_command(out: str) -> None:
    """Write JSON Schemas of data/*.yaml, for editors that validate while you type.

    Generated from the same field tables `esgpress check` uses; see
    docs/data-format.md for hooking them into VS Code.

    \b
    Example:
      esgpress schemas --out schemas
    """
    from esgpress.data.editor_schemas import write_schemas

    folder = Path(out)
    if not folder.is_dir():
        raise EsgError(f"--out {out}: no such folder; create it first or choose another folder")
    for path in write_schemas(folder):
        click.echo(str(path))


@main.command("new")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--company-zh", required=True, help="Company name in Chinese (the source script).")
@click.option("--company-en", required=True, help="Company name in English.")
@click.option("--year", type=int, required=True, help="The report year.")
@click.option(
    "--editions",
    default="zh-Hant,zh-Hans,en",
    show_default=True,
    help="Editions to publish, in order, comma-separated.",
)
@click.option("--default-edition", default=None, help="Edition at the site root [default: first].")
@click.option(
    "--source-script",
    type=click.Choice(["simplified", "traditional"]),
    default="simplified",
    show_default=True,
    help="Script the Chinese chapters and data texts are written in.",
)
def new_command(
    folder: str,
    company_zh: str,
    company_en: str,
    year: int,
    editions: str,
    default_edition: str | None,
    source_script: str,
) -> None:
    """Start a new report project in FOLDER (new or empty) that checks and builds at once.

    The project has placeholder figures, one chapter per language, a
    mkdocs.yml for the chosen editions and a README; then run
    `esgpress check --strict` and `esgpress build-all` inside it.

    Example: esgpress new acme --company-zh 示例集团 --company-en "Acme Group" --year 2025
    """
    from esgpress.workflows.newproject import NewProject, create_project, parse_editions

    spec = NewProject(
        company_zh,
        company_en,
        year,
        parse_editions(editions),
        default_edition,
        "traditional" if source_script == "traditional" else "simplified",
    )
    for path in create_project(Path(folder), spec):
        click.echo(str(path))
    click.echo(f"next: cd {folder} && esgpress check --strict && esgpress build-all", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
