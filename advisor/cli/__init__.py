"""The ``advisor`` console script: one subcommand per user job, one module per command group."""
