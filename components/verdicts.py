"""How the source article's claims are labelled in the app (plain text for tables, badges for prose)."""

VERDICT_LABELS = {
    "correct": "correct",
    "correct_when_written": "correct when written",
    "partly_correct": "partly correct",
    "incorrect": "incorrect",
    "unverifiable": "unverifiable",
    "opinion": "opinion",
}
_BADGE_COLOURS = {
    "correct": "green",
    "correct_when_written": "blue",
    "partly_correct": "orange",
    "incorrect": "red",
    "unverifiable": "violet",
    "opinion": "gray",
}


def badge(verdict: str) -> str:
    """Streamlit markdown for a verdict badge; unknown verdicts are shown as plain text."""
    if verdict not in VERDICT_LABELS:
        return "unknown verdict"
    return f":{_BADGE_COLOURS[verdict]}-badge[{VERDICT_LABELS[verdict].capitalize()}]"
