"""The comparison table: the report's Figure 2, live, as of the chosen date."""
