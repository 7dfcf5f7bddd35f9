"""Application icons: quadrangle.svg is the source; the PNG and ICO are rendered from it by tools/make_icons.py."""
