"""The audit log view: who changed what, when."""
