"""Factories of the matchmaking app (re-exported by tests.factories)."""

__all__: list[str] = []
