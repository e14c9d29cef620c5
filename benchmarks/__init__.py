"""Measurements of the product's parts: retrieval quality and speed (printed, never asserted)."""
