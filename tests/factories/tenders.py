"""Factories of the tenders app (re-exported by tests.factories)."""

__all__: list[str] = []
