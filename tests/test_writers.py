"""Every file the package writes goes through esgpress.core.files, and only where allowed.

Two checks:

* **Static** (an AST walk of ``tools/esgpress``, like test_architecture.py):
  outside ``core/files.py`` no module opens a file for writing (``open`` with
  a mode holding w, a, x or +; ``os.open`` with write flags; ``os.fdopen``),
  calls ``write_text``/``write_bytes``/``touch``/``symlink_to``/``hardlink_to``,
  copies or moves files (``shutil.copy*``, ``shutil.move``, ``os.replace``,
  ``os.rename``, ``os.link``, ``os.symlink``, a one-argument ``.replace()`` or
  ``.rename()``), or saves a document to anything but an in-memory buffer
  (``.save(x)``/``.write_pdf(x)`` where ``x`` is not a ``BytesIO`` made in
  the same function). Such writes would bypass the atomic rename (a killed
  build leaving half a file) and the staging folders.
* **Dynamic**: the commands that write (render, build, import, new-year,
  export and template into build/) are run on a fixture and every file of the
  project and of the folder around it is compared before and after: what
  changed lies under ``build/``, ``site/`` or ``dist/`` (and ``data/`` for
  import and new-year), and nothing appears beside the project.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import copy_project
from esgpress.cli import main

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "tools" / "esgpress"
#: The one module that writes files.
WRITER = PACKAGE / "core" / "files.py"

FILE_METHODS = {"write_text", "write_bytes", "touch", "symlink_to", "hardlink_to"}
MODULE_CALLS = {
    ("shutil", "copy"),
    ("shutil", "copy2"),
    ("shutil", "copyfile"),
    ("shutil", "copytree"),
    ("shutil", "move"),
    ("os", "replace"),
    ("os", "rename"),
    ("os", "renames"),
    ("os", "link"),
    ("os", "symlink"),
    ("os", "fdopen"),
}
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}


def _buffers(function: ast.AST) -> set[str]:
    """Names bound to ``io.BytesIO()`` / ``BytesIO()`` / ``StringIO()`` in ``function``."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"BytesIO", "StringIO"}:
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _mode_writes(call: ast.Call) -> bool:
    mode = call.args[1] if len(call.args) > 1 else None
    mode = next((k.value for k in call.keywords if k.arg == "mode"), mode)
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return any(c in mode.value for c in "wax+")
    return True  # a computed mode: cannot tell, so refuse


def _flags_write(call: ast.Call) -> bool:
    flags = call.args[1] if len(call.args) > 1 else None
    return flags is not None and any(
        isinstance(n, ast.Attribute) and n.attr in WRITE_FLAGS for n in ast.walk(flags)
    )


def direct_writes(path: Path) -> list[str]:
    """``file:line: call`` for every write in the module that bypasses core/files.py."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    buffers_at = {}
    for function in functions:  # inner functions come later in the walk and win
        buffers = _buffers(function)
        for node in ast.walk(function):
            buffers_at[id(node)] = buffers
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        what = ""
        if isinstance(func, ast.Name) and func.id == "open" and _mode_writes(node):
            what = "open(..., write mode)"
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            if func.attr in FILE_METHODS:
                what = f".{func.attr}()"
            elif (owner, func.attr) in MODULE_CALLS:
                what = f"{owner}.{func.attr}()"
            elif owner in {"os", "io"} and func.attr == "open":
                if (_flags_write if owner == "os" else _mode_writes)(node):
                    what = f"{owner}.open(..., write)"
            elif func.attr == "open" and _mode_writes(node):
                what = ".open(..., write mode)"
            elif func.attr in {"replace", "rename"} and len(node.args) == 1 and not node.keywords:
                what = f".{func.attr}(target)"  # Path.replace / Path.rename (str.replace has 2)
            elif func.attr in {"save", "write_pdf"} and node.args:
                target = node.args[0]
                buffers = buffers_at.get(id(node), set())
                if not (isinstance(target, ast.Name) and target.id in buffers):
                    what = f".{func.attr}(file)"
        if what:
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {what}")
    return found


def test_the_scan_finds_each_kind_of_direct_write(tmp_path: Path) -> None:
    sample = tmp_path / "esgpress" / "x.py"
    sample.parent.mkdir()
    sample.write_text(
        "import io, os, shutil\n"
        "def f(p, wb, doc):\n"
        "    open(p, 'w')\n"
        "    p.write_text('x')\n"
        "    shutil.copy(p, p)\n"
        "    os.replace(p, p)\n"
        "    p.replace(p)\n"
        "    wb.save(p)\n"
        "    doc.write_pdf(p)\n"
        "    os.open(p, os.O_WRONLY | os.O_CREAT)\n"
        "    buf = io.BytesIO()\n"
        "    wb.save(buf)\n"
        "    open(p)\n"
        "    'a'.replace('a', 'b')\n",
        encoding="utf-8",
    )
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "esgpress"
    try:
        lines = [w.split(": ", 1)[1] for w in direct_writes(sample)]
    finally:
        PACKAGE = saved
    assert lines == [
        "open(..., write mode)",
        ".write_text()",
        "shutil.copy()",
        "os.replace()",
        ".replace(target)",
        ".save(file)",
        ".write_pdf(file)",
        "os.open(..., write)",
    ]


def test_only_core_files_writes_files() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != WRITER:
            found += direct_writes(path)
    assert found == []


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """What each writing command changed in a project and beside it."""
    outer = tmp_path_factory.mktemp("writers")
    project = copy_project("site", outer / "p")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "templates", project / "templates")
    shutil.copy(REPO / "data" / "jieba_user_dict.txt", project / "data")
    book = outer / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "2024"])
    wb.active.append(["fin.revenue", 1234])
    wb.save(book)
    runner = CliRunner()
    out: dict[str, set[str]] = {}
    for command in (
        ["render", "--lang", "en"],
        ["build"],
        ["export", "--format", "csv", "--lang", "en", "--out", str(project / "build" / "x.csv")],
        ["template", "--year", "2024", "--out", str(project / "build" / "t.xlsx")],
        ["import", str(book)],
        ["new-year", "2025"],
    ):
        before = tree(outer)
        res = runner.invoke(main, ["--project", str(project), *command])
        assert res.exit_code == 0, (command, res.output)
        out[command[0]] = changed(before, tree(outer))
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "allowed"),
    [
        ("render", ("p/build/",)),
        ("build", ("p/build/", "p/site/")),
        ("export", ("p/build/",)),
        ("template", ("p/build/",)),
        ("import", ("p/build/", "p/data/")),
        ("new-year", ("p/build/", "p/data/")),
    ],
)
def test_commands_write_only_under_their_folders(
    written: dict[str, set[str]], command: str, allowed: tuple[str, ...]
) -> None:
    assert written[command], f"{command} wrote nothing: the test would prove nothing"
    assert sorted(p for p in written[command] if not p.startswith(allowed)) == []
