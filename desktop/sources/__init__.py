"""The sources library: references, "cited by", BibTeX and RIS import, BibTeX export."""
