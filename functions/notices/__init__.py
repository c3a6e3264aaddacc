"""The notice function: drains the outbox on a schedule (no HTTP routes of its own)."""
