"""Where the files shipped with Quadrangle live (light: importing it loads nothing else)."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEFAULT_DATASET_PATH = RESOURCES / "dataset" / "default.json"
