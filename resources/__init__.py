"""Data shipped with Quadrangle: the default dataset, report templates, styles and icons."""
