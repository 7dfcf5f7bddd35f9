"""Quadrangle's desktop application: the Qt windows, the command line and report rendering.

It talks to the database only through the public API of `db` (tests/test_layering.py checks it).
"""

__version__ = "0.1.0"
