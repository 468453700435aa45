"""Factories of the events app (re-exported by tests.factories)."""

__all__: list[str] = []
