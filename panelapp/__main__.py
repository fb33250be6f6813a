"""Allow ``python -m panelapp``."""

import multiprocessing

from panelapp.cli import main

if __name__ == "__main__":  # the file reader's process imports this module without running it
    multiprocessing.freeze_support()
    raise SystemExit(main())
