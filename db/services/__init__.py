"""The store's services: one concern each, all over the one Database handle (see db/store.py)."""
