"""Groups of ``panelapp`` sub-commands, each module with ``register(subparsers)``.

``panelapp.cli`` owns the top-level parser and error handling; these modules only add
commands over the services.
"""
