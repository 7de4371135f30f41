"""Where the shipped dataset lives, resolved from this file, not the working directory."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
DATA_DIR = ROOT_DIR / "data"
EVENTS_CSV = DATA_DIR / "events.csv"
CODEBOOK_TOML = DATA_DIR / "codebook.toml"
ERAS_CSV = DATA_DIR / "eras.csv"
ARTICLE_CLAIMS_CSV = DATA_DIR / "article_claims.csv"
PANEL_CSV = DATA_DIR / "panel.csv"
