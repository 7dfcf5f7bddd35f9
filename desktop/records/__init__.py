"""The shared shape of the record libraries (operations, sources): a kind of record, its undo
commands, its table model base, its editor dialog frame and its window."""
