"""Lighthouse scores of the built microsite (issue 19): `make lighthouse`.

Serves ``site/`` (or the folder given) on 127.0.0.1, runs the pinned npm
Lighthouse (tools/lighthouse/package-lock.json) with the system Chromium,
mobile preset (Lighthouse's default: Moto G Power, simulated 4G throttling),
on the zh-Hant landing page, a zh-Hant chapter and the English data page,
and prints the four category scores per page. A measurement, not a test:
scores depend on the machine; docs/site.md records a run.

The pages are served gzip-compressed (HTML, CSS, JavaScript, JSON, SVG,
XML), as every common static host does by default (GitHub Pages, Netlify,
Cloudflare Pages, Amazon CloudFront with compression on, nginx with
``gzip on``): scoring an uncompressed server would measure a host nobody
publishes on. ``--no-gzip`` measures the plain server.

    .venv/bin/python tools/lighthouse.py [SITE_DIR] [--json OUT_DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import serve  # noqa: E402

#: File types a static host compresses.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


@contextmanager
def serve_gzip(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on loopback like :func:`serve`, gzip-compressing text files."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = Path(self.translate_path(self.path))
            gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (gzip_ok and path.is_file() and path.suffix in COMPRESSED):
                super().do_GET()
                return
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = ("index.html", "climate.html", "en/data.html")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def run(url: str, out: Path) -> dict[str, int]:
    """Run Lighthouse on ``url``; return its category scores (0-100)."""
    chrome = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="lh-profile-") as profile:
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                f"--disable-dev-shm-usage --user-data-dir={profile}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": chrome},
        )
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def benchmark(folder: Path) -> str:
    """Lighthouse's CPU benchmark of this machine (lower = slower; it scales TBT)."""
    values = sorted(
        json.loads(p.read_text(encoding="utf-8"))["environment"]["benchmarkIndex"]
        for p in folder.glob("*.json")
    )
    return f"{values[len(values) // 2]:.0f}" if values else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "lighthouse")
    parser.add_argument("--no-gzip", action="store_true", help="serve without compression")
    parser.add_argument("--runs", type=int, default=5, help="runs per page; the median is shown")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: make lighthouse", file=sys.stderr)
        return 2
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site (run esgpress build)", file=sys.stderr)
        return 2
    args.json.mkdir(parents=True, exist_ok=True)
    print(f"{'page':<16}" + "".join(f"{c:>16}" for c in CATEGORIES))
    print("served " + ("without compression" if args.no_gzip else "gzip-compressed"))
    with (serve if args.no_gzip else serve_gzip)(args.site) as base:
        for page in PAGES:
            runs = []
            for n in range(args.runs):
                out = args.json / f"{page.replace('/', '-')}.{n}.json"
                runs.append(run(base + page, out))
            # Lighthouse's own advice: five runs, the median (scores vary with machine load).
            scores = {c: statistics.median_low(r[c] for r in runs) for c in CATEGORIES}
            spread = ", ".join(str(r["performance"]) for r in runs)
            line = f"{page:<16}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES)
            print(f"{line}   (performance runs: {spread})", flush=True)
    print(f"benchmarkIndex {benchmark(args.json)}; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
