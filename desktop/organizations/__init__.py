"""Adding organizations to the quadrangle: the dialog and its undo command."""
