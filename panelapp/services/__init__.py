"""Use cases people perform, each a function over a unit of work that returns domain values.

The desktop app and the command line call these; neither touches the ORM session directly.
"""
