"""Gradio chat and HTTP API over :mod:`advisor`."""
