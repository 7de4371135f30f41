"""How the source article's claims are labelled in the app."""

VERDICT_LABELS = {
    "correct": "✅ correct",
    "correct_when_written": "🕰️ correct when written",
    "partly_correct": "⚠️ partly correct",
    "incorrect": "❌ incorrect",
    "unverifiable": "❔ unverifiable",
    "opinion": "💬 opinion",
}
