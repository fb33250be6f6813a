"""The encrypted local store: SQLCipher engine, keys, tables, migrations and audit chain.

All SQL of the application lives in this package.
"""
