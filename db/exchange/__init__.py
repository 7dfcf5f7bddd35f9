"""Exchange between offline workstations: the file format, writer, reader/validator, merge planner
and applier. The store's exchange service (db/services/exchange.py) is the public entry."""
