"""The fonts embedded in exported briefings (DejaVu Sans; licence in DejaVu-LICENSE.txt)."""
