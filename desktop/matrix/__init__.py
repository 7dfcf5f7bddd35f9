"""The motive matrix: relationships by the six motives, grouped materialist and ideational."""
