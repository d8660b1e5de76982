"""Lighthouse scores of the built microsite (issue 19): `make lighthouse`.

Serves ``site/`` (or the folder given) on 127.0.0.1, runs the pinned npm
Lighthouse (tools/lighthouse/package-lock.json) with the system Chromium,
mobile preset (Lighthouse's default: Moto G Power, simulated 4G throttling),
on the zh-Hant landing page, a zh-Hant chapter and the English data page,
and prints the four category scores per page. A measurement, not a test:
scores depend on the machine; docs/site.md records a run.

    .venv/bin/python tools/lighthouse.py [SITE_DIR] [--json OUT_DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import serve  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "lighthouse")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: make lighthouse", file=sys.stderr)
        return 2
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site (run esgpress build)", file=sys.stderr)
        return 2
    args.json.mkdir(parents=True, exist_ok=True)
    print(f"{'page':<16}" + "".join(f"{c:>16}" for c in CATEGORIES))
    with serve(args.site) as base:
        for page in PAGES:
            scores = run(base + page, args.json / (page.replace("/", "-") + ".json"))
            print(f"{page:<16}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
