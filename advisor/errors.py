"""Errors shared across the advisor's layers without importing what raises them."""

from __future__ import annotations


class SettingsError(ValueError):
    """A setting is missing or inconsistent; the message says what to set."""
