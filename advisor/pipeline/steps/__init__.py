"""The answer pipeline's steps, in the order they run; each has ``warm_up()`` and one typed ``run(...)``."""
