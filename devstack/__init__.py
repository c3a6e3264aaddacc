"""The local stack (never deployed)."""
