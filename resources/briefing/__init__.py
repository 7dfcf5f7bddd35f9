"""Briefing templates and styles: style.json (colours, fonts, header text, logo) and briefing.css."""
