"""The briefing's look, read from resources/briefing/style.json so an organization can restyle its
briefings (colours, fonts, header text, logo) without touching code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from string import Template

from db import ValidationError

STYLE_FOLDER = Path(__file__).resolve().parent.parent.parent / "resources" / "briefing"
DEFAULT_STYLE_PATH = STYLE_FOLDER / "style.json"


@dataclass(frozen=True)
class BriefingStyle:
    title: str
    subtitle: str
    organization: str
    header_text: str
    logo: Path | None
    font_family: str
    font_files: tuple[Path, ...]
    body_pt: float
    header_pt: float
    colors: dict[str, str]
    margins_mm: dict[str, float]
    stylesheet: str

    def color(self, name: str) -> str:
        return self.colors.get(name, "#000000")


def load_style(path: Path = DEFAULT_STYLE_PATH) -> BriefingStyle:
    """Read a style file; paths in it are relative to its folder. ValidationError if it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        folder = path.parent
        fonts = data.get("fonts", {})
        colors = {
            "text": "#1d2733",
            "accent": "#1f3a5f",
            "accent_light": "#dfe7f1",
            "rule": "#8a9bb0",
            "muted": "#5b6b7d",
            "table_header": "#1f3a5f",
            "table_header_text": "#ffffff",
            "table_stripe": "#f1f4f8",
            "marking_text": "#9b1c1c",
        }
        colors.update({k: str(v) for k, v in data.get("colors", {}).items()})
        margins = {"top": 22.0, "bottom": 20.0, "left": 22.0, "right": 20.0}
        margins.update({k: float(v) for k, v in data.get("margins_mm", {}).items()})
        logo = data.get("logo")
        css_name = data.get("stylesheet", "briefing.css")
        css = Template((folder / css_name).read_text(encoding="utf-8")).safe_substitute(colors) if css_name else ""
        return BriefingStyle(
            title=str(data.get("title", "Briefing")),
            subtitle=str(data.get("subtitle", "")),
            organization=str(data.get("organization", "")),
            header_text=str(data.get("header_text", "")),
            logo=(folder / logo) if logo and (folder / logo).is_file() else None,
            font_family=str(fonts.get("family", "DejaVu Sans")),
            font_files=tuple(folder / f for f in fonts.get("files", ())),
            body_pt=float(fonts.get("body_pt", 9.5)),
            header_pt=float(fonts.get("header_pt", 7.5)),
            colors=colors,
            margins_mm=margins,
            stylesheet=css,
        )
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(f"The briefing style {path} cannot be read ({exc}): fix or restore it.") from None
