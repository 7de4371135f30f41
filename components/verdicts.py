"""How the source article's claims are labelled in the app: the codebook's verdicts as text and as badges."""

from __future__ import annotations

from components.codebook import Codebook


def label(codebook: Codebook, verdict: str) -> str:
    """The verdict's plain-text label, for tables; an unknown verdict as it stands."""
    known = codebook.verdicts.get(verdict)
    return known.label if known else str(verdict)


def badge(codebook: Codebook, verdict: str) -> str:
    """Streamlit markdown for a verdict badge; an unknown verdict as plain text."""
    known = codebook.verdicts.get(verdict)
    if known is None:
        return "unknown verdict"
    return f":{known.colour}-badge[{known.label.capitalize()}]"
