"""Exchange between offline workstations: the file format, writer, reader/validator, merge planner
and applier. The Store's ExchangeMixin (db/store_exchange.py) is the public entry."""
