"""Evaluation sets, metrics and the regression gate over :mod:`advisor`."""
