"""``esgpress serve``: live preview of one edition, re-rendered when its sources change.

MkDocs' own server does the serving; the plugin (:mod:`esgpress.site.plugin`)
re-renders the edition before each rebuild whose sources changed.
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path

from esgpress.core.errors import EsgError
from esgpress.site.generate import load_site_data
from esgpress.site.mkdocs import mkdocs_environment, plugin_available
from esgpress.site.paths import SitePaths


def serve_site(
    root: Path,
    edition: str | None,
    dev_addr: str = "127.0.0.1:8000",
    open_browser: bool = False,
    config_file: Path | None = None,
) -> None:
    """Live preview of one edition (default: the project's default): re-renders on changes."""
    from mkdocs.commands.serve import serve

    check_address(dev_addr)  # before the first build, which takes seconds
    paths = SitePaths.for_project(root, config_file)
    # The plugin renders the edition before each build whose sources changed
    # (the first one included); MkDocs only needs the docs folder to exist.
    paths.docs_dir.mkdir(parents=True, exist_ok=True)
    dataset, _settings = load_site_data(root)  # data errors stop here, before a server starts
    edition = edition or dataset.report.default_edition
    if edition not in dataset.report.editions:
        raise EsgError(
            f"unknown edition '{edition}'; this project publishes "
            f"{', '.join(dataset.report.editions)}"
        )
    with mkdocs_environment(paths, edition), plugin_available():
        try:
            serve(
                str(paths.config_file),
                livereload=True,
                # Rebuild only the pages whose generated Markdown changed: a
                # save then costs the same whatever the number of chapters.
                build_type="dirty",
                dev_addr=dev_addr,
                open_in_browser=open_browser,
                docs_dir=str(paths.docs_dir),
                strict=False,
            )
        except OSError as exc:  # taken by someone else during the first build
            if exc.errno != errno.EADDRINUSE:
                raise
            raise EsgError(_in_use(dev_addr)) from None


def preview_url(dev_addr: str) -> str:
    """Return the address a reader opens for the preview served on ``dev_addr``."""
    host, _, port = dev_addr.rpartition(":")
    return f"http://{host or '127.0.0.1'}:{port}/"


def _in_use(dev_addr: str) -> str:
    host, _, port = dev_addr.rpartition(":")
    return (
        f"{dev_addr} is already in use (another preview?); stop it or choose "
        f"another address: --dev-addr {host}:{int(port) + 1}"
    )


def check_address(dev_addr: str) -> None:
    """Refuse, with a message, an address the preview could not listen on.

    MkDocs binds only after its first build and then fails with a traceback;
    a second preview started on the same port is the usual case.
    """
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise EsgError(f"--dev-addr '{dev_addr}' is not HOST:PORT, e.g. 127.0.0.1:8000")
    bare = host.strip("[]")
    try:
        with socket.socket(socket.AF_INET6 if ":" in bare else socket.AF_INET) as probe:
            # As MkDocs' server does, so a port a stopped preview left in
            # TIME_WAIT is not mistaken for one in use.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((bare, int(port)))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise EsgError(_in_use(dev_addr)) from None
        raise EsgError(f"--dev-addr '{dev_addr}': cannot listen there ({exc.strerror})") from None
