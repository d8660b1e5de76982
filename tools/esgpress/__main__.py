"""Allow ``python -m esgpress``."""

from esgpress.cli import main

main()
