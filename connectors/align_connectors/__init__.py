"""align's bundled connectors: published labour-market and education files into core tables.

Each module holds one source. They depend only on align's public contract (codes, schemas,
errors, the Connector base class) and are found by the core through entry points.
"""
