"""The print edition's URL fetcher: WeasyPrint may read files of the project only.

The print HTML is built from untrusted chapters and data (docs/security.md):
an image or stylesheet URL must not make the layout read ``/etc/passwd`` or
call the network. :func:`make_fetcher` serves ``data:`` URLs and the files of
:func:`allowed_folders`, and refuses everything else with an
:class:`~esgpress.core.errors.EsgError` naming the URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from esgpress.core.errors import EsgError
from esgpress.pdf.fontfiles import is_system_font
from esgpress.pdf.printhtml import TOOLKIT_TEMPLATES


def allowed_folders(root: Path) -> list[Path]:
    """Folders the print edition may read: the render, the print HTML, templates, content images."""
    root = root.resolve()
    return [root / "build", root / "templates" / "print", root / "content", TOOLKIT_TEMPLATES]


def make_fetcher(root: Path) -> Any:
    """Make a WeasyPrint URL fetcher that serves files of the project only.

    ``data:`` URLs are served; ``file:`` URLs only inside :func:`allowed_folders`
    (after resolving ``..`` and symbolic links); everything else (``http(s):``,
    ``ftp:``, other files) is refused with an :class:`EsgError` naming the URL.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    folders = [f.resolve() for f in allowed_folders(root)]

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        """Serve project files and ``data:`` URLs; refuse the rest."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(unquote(parts.path))).resolve()
                if any(path.is_relative_to(f) for f in folders) or is_system_font(path):
                    if not path.is_file():
                        raise EsgError(f"the print edition needs {path}, which does not exist")
                    import mimetypes

                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": mime}
                    )
            raise EsgError(
                f"refused to fetch {url}: the print edition reads only files of the project "
                f"(build/, templates/print/, content/) and data: URLs"
            )

    return ProjectFetcher(fail_on_errors=True)
