"""Bibliographic references: the full record of a source (item type, creators with roles, every field
a reference manager keeps), the BibTeX, RIS and CSL-JSON readers and writers, duplicate matching and
citation formatting through CSL styles. Pure Python over maintained parsers; never imports Qt."""
