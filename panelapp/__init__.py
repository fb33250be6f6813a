"""panelapp: SEND and High Needs panels run offline on an encrypted store."""

__version__ = "0.1.0"
