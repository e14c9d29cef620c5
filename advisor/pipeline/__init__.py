"""The answer pipeline: typed steps (``steps/``), wired by ``PipelineBuilder``, run by ``Pipeline``."""
