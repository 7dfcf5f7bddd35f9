"""Rewrite calls of the old mixin Store API (store.save_assessment...) to the composed Store's services

(store.assessments.save...), idempotently: for merging branches written against the old API.

Usage: python tools/rewrite_store_api.py FILE_OR_DIR...   (skips db/ itself and .venv)
"""

import re
import sys
from pathlib import Path

# old name -> (new dotted path, call_only)
MAP = {
    # quadrangle
    "organizations": ("quadrangle.organizations", True),
    "relationships": ("quadrangle.relationships", True),
    "relationship": ("quadrangle.relationship", True),
    "find_relationship": ("quadrangle.find_relationship", False),
    "state_as_of": ("quadrangle.state_as_of", False),
    "comparison_table": ("quadrangle.comparison_table", False),
    "history_span": ("quadrangle.history_span", False),
    "add_organization": ("quadrangle.add_organization", False),
    "remove_organization": ("quadrangle.remove_organization", False),
    "set_layout": ("quadrangle.set_layout", False),
    # catalog
    "themes": ("catalog.themes", True),
    "markings": ("catalog.markings", True),
    "milestones": ("catalog.milestones", True),
    "cooperation": ("catalog.cooperation", True),
    "add_theme": ("catalog.add_theme", False),
    "remove_theme": ("catalog.remove_theme", False),
    # assessments
    "assessment_history": ("assessments.history", False),
    "assessment": ("assessments.get", True),
    "would_reverse": ("assessments.would_reverse", False),
    "save_assessment": ("assessments.save", False),
    "retract_assessment": ("assessments.retract", False),
    "assessment_problems": ("assessments.problems", False),
    # history
    "compare_versions": ("history.compare_versions", False),
    "compare_dates": ("history.compare_dates", False),
    "restore_version": ("history.restore_version", False),
    "would_restore_reverse": ("history.would_restore_reverse", False),
    "reversals": ("history.reversals", True),
    # audit
    "audit_log": ("audit.entries", False),
    "audit_facets": ("audit.facets", False),
    # drafts
    "save_draft": ("drafts.save", False),
    "load_draft": ("drafts.load", False),
    "discard_draft": ("drafts.discard", False),
    # lessons
    "lessons": ("lessons.all", True),
    "lesson": ("lessons.get", True),
    "trashed_lessons": ("lessons.trashed", False),
    "search_lessons": ("lessons.search", False),
    "count_lessons": ("lessons.count", False),
    "theme_overview": ("lessons.theme_overview", True),
    "add_lesson": ("lessons.add", False),
    "update_lesson": ("lessons.update", False),
    "delete_lesson": ("lessons.delete", False),
    "restore_lesson": ("lessons.restore", False),
    "purge_lesson": ("lessons.purge", False),
    "retract_lesson": ("lessons.retract", False),
    "rebuild_lesson_search": ("lessons.rebuild_search", False),
    "check_lesson_search": ("lessons.check_search", False),
    # operations
    "operations": ("operations.all", True),
    "operation": ("operations.get", True),
    "operation_lesson_counts": ("operations.lesson_counts", False),
    "operation_relationships": ("operations.relationships", False),
    "add_operation": ("operations.add", False),
    "update_operation": ("operations.update", False),
    "delete_operation": ("operations.delete", False),
    "restore_operation": ("operations.restore", False),
    "retract_operation": ("operations.retract", False),
    "add_operation_to_cooperation": ("operations.add_to_cooperation", False),
    "remove_cooperation": ("operations.remove_cooperation", False),
    # sources
    "sources": ("sources.all", True),
    "source": ("sources.get", True),
    "citable_sources": ("sources.citable", False),
    "source_citation_counts": ("sources.citation_counts", False),
    "source_cited_by": ("sources.cited_by", False),
    "add_source": ("sources.add", False),
    "update_source": ("sources.update", False),
    "delete_source": ("sources.delete", False),
    "restore_source": ("sources.restore", False),
    "retract_sources": ("sources.retract", False),
    "import_bibtex": ("sources.import_bibtex", False),
    "import_ris": ("sources.import_ris", False),
    "export_bibtex": ("sources.export_bibtex", False),
    # safety
    "backups": ("safety.backups", True),
    "backup_before_import": ("safety.backup_before_import", False),
    "restore_backup": ("safety.restore_backup", False),
    "check": ("safety.check", True),
    "repair": ("safety.repair", True),
    "take_backup": ("safety.take_backup", False),
    "backup_folder": ("safety.backup_folder", False),
    # exchange
    "database_id": ("exchange.database_id", True),
    "export_exchange": ("exchange.export", False),
    "preview_exchange": ("exchange.preview", False),
    "import_exchange": ("exchange.import_file", False),
    # private members tests used
    "_write": ("database.write", True),
    "_read": ("database.read", True),
    "_engine": ("database.engine", False),
}
SERVICES = {
    "quadrangle",
    "catalog",
    "assessments",
    "history",
    "audit",
    "drafts",
    "lessons",
    "operations",
    "sources",
    "safety",
    "exchange",
    "database",
}
# Receivers that are never a store.
NOT_STORES = SERVICES | {
    "self",
    "cls",
    "super()",
    "qtmodeltester",
    "args",
    "parser",
    "subparsers",
    "os",
    "path",
    "Path",
    "sys",
    "record",
    "state",
    "result",
    "row",
    "r",
    "draft",
    "model",
    "event",
    "np",
    "dialog",
    "window",
    "preview",
    "plan",
    "ui",
    "widget",
    "editor",
    "browser",
    "scene",
    "panel",
    "page",
    "item",
    "items",
    "lesson",
    "source",
    "operation",
    "m",
    "s",
    "session",
    "self.ui",
    "re",
    "QtCore",
    "document",
    "manifest",
    "hit",
    "rel",
    "relationship",
    "diff",
    "overview",
    "span",
    "change",
    "before",
    "after",
    "caught",
    "exc",
    "value",
    "feature",
    "a",
    "b",
    "c",
    "first",
    "second",
}
# a, b, c, first, second ARE stores in some tests: handled by STORE_HINT below.
STORE_NAMES = {
    "store",
    "mini_store",
    "default_store",
    "seeded_store",
    "self.store",
    "self._store",
    "window.store",
    "feature.store",
    "alice",
    "bob",
    "reader",
    "crashed",
    "writer",
    "other",
    "second_store",
    "first_store",
    "source_store",
    "target_store",
    "pg_store",
    "server_store",
    "reopened",
    "copy",
    "target",
    "opened",
    "store_a",
    "store_b",
    "fresh",
    "restored",
    "again",
    "local",
    "remote",
    "live",
    "self._stores",
    "s2",
    "main_store",
    "theirs",
    "ours",
    "mine",
    "here",
    "there",
    "first",
    "second",
    "a",
    "b",
    "c",
    "new_store",
    "old_store",
    "app_store",
    "window._store",
    "self.window.store",
    "mw.store",
    "main.store",
    "main_window.store",
    "self._main.store",
    "self.main_window.store",
    "parent.store",
    "self._window.store",
}

RECEIVER = r"((?:[A-Za-z_][A-Za-z_0-9]*\.)*[A-Za-z_][A-Za-z_0-9]*|\w+\(\))"


def rewrite(text: str, receivers: set[str]) -> str:
    def sub(match):
        receiver, name, after = match.group(1), match.group(2), match.group(3)
        if receiver not in receivers:
            return match.group(0)
        new, call_only = MAP[name]
        if call_only and after != "(":
            return match.group(0)
        return f"{receiver}.{new}{after}"

    names = "|".join(sorted(map(re.escape, MAP), key=len, reverse=True))
    pattern = re.compile(rf"{RECEIVER}\.({names})\b(\(|)")
    return pattern.sub(sub, text)


def main(paths):
    extra = set()
    for arg in list(paths):
        if arg.startswith("--store="):
            extra |= set(arg.split("=", 1)[1].split(","))
            paths.remove(arg)
    receivers = STORE_NAMES | extra
    changed = 0
    for root in paths:
        root = Path(root)
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for f in files:
            if ".venv" in f.parts or f.resolve().is_relative_to(Path("db").resolve()):
                continue
            text = f.read_text(encoding="utf-8")
            new = rewrite(text, receivers)
            if new != text:
                f.write_text(new, encoding="utf-8")
                changed += 1
    print(f"rewrote {changed} files")


if __name__ == "__main__":
    main(sys.argv[1:])
