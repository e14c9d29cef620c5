"""Diagnosis, grounded answers and the CLI; built on :mod:`knowledge`."""

__version__ = "0.1.0"
