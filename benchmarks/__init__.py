"""panelapp's benchmarks: ``.venv/bin/python benchmarks/run.py`` (see docs/benchmarks.md)."""
