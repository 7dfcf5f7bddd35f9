"""Briefing PDFs and exports: what a briefing includes (content), how it is painted (render), the
export dialog and its worker thread, and the CSV exports. `install_briefing(window)` adds the menus."""


def install_briefing(window):
    """Add File > Export briefing... (Ctrl+P), Export table and Export lessons (CSV or Excel)..."""
    from desktop.briefing.actions import install_briefing as install

    return install(window)
