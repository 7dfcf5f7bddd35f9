"""The detail panel of the selected relationship."""
