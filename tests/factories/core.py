"""Factories of the core app (re-exported by tests.factories)."""

__all__: list[str] = []
