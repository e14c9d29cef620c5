"""Entry point of the ``advisor`` console script.

Subcommands live in sibling modules named ``cmd_*.py``, each exposing ``register(group)``;
the ``ui`` and ``evals`` packages add theirs through the ``scaling_advisor.commands`` entry-point
group, so this package never imports them (the layering rule) and a broken plugin cannot take
the whole CLI down with it.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from importlib.metadata import entry_points

import click
from pydantic import ValidationError

from advisor import __version__
from advisor.settings import Settings

ENTRY_POINT_GROUP = "scaling_advisor.commands"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="advisor")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Scaling advisor: cited advice on implementing and scaling AI/ML in organizations.

    Settings come from ADVISOR_* environment variables or a .env file in the current directory
    (see README); the first command that needs the search index builds it under ADVISOR_DATA_DIR.
    """
    try:
        ctx.obj = Settings()
    except ValidationError as exc:
        raise click.UsageError(f"invalid ADVISOR_* setting: {exc}") from exc


def _register_builtin(group: click.Group) -> None:
    package = importlib.import_module("advisor.cli")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"advisor.cli.{info.name}").register(group)


def _register_plugins(group: click.Group) -> None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()(group)
        except Exception as exc:  # a plugin's import error must not hide the other commands
            print(f"advisor: could not load commands from {ep.value}: {exc}", file=sys.stderr)


_register_builtin(cli)
_register_plugins(cli)
