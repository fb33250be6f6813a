"""Allow ``python -m panelapp``."""

from panelapp.cli import main

raise SystemExit(main())
