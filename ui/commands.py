"""``advisor serve``: the ui package's subcommand (loaded through an entry point)."""

from __future__ import annotations

import sys

import click

from advisor.settings import Settings


def register(group: click.Group) -> None:
    """Attach this package's subcommands to the ``advisor`` group."""
    group.add_command(serve)


@click.command()
@click.option("--host", default=None, help="Interface to listen on (default ADVISOR_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default ADVISOR_PORT, 7860).")
@click.option("--no-warm-up", is_flag=True, help="Start at once; build the index on the first question instead.")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, no_warm_up: bool) -> None:
    """Serve the chat UI at / and the HTTP API at /v1 (OpenAPI at /openapi.json).

    The first run builds the search index under ADVISOR_DATA_DIR (a minute or two), then prints
    the URL. Set ADVISOR_API_TOKEN to require a bearer token on /v1; ADVISOR_API_RATE_PER_MINUTE
    and ADVISOR_API_MAX_BODY_BYTES bound what one client may send.
    """
    import uvicorn
    from pydantic import ValidationError

    from ui.app import create_app
    from ui.limits import ApiLimits
    from ui.services import Services

    try:
        limits = ApiLimits()
    except ValidationError as exc:  # same one-line message as an invalid Settings value
        raise click.UsageError(f"invalid ADVISOR_API_* setting: {exc}") from exc
    settings = settings.model_copy(update={k: v for k, v in (("host", host), ("port", port)) if v is not None})
    services = Services(settings)
    if not no_warm_up:
        click.echo(f"Preparing the advisor (index under {settings.data_dir}; built on first run)…", err=True)
        try:
            services.warm_up()
        except Exception as exc:  # a broken index must say how to recover instead of a traceback
            raise click.ClickException(
                f"could not open the search index: {exc}\nTo rebuild it run: advisor ingest --rebuild"
            ) from exc
    app = create_app(settings, services, limits)
    shown = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    url = f"http://{shown}:{settings.port}"
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning")
    server = uvicorn.Server(config)
    click.echo(f"Scaling Advisor is running: {url}  (API docs: {url}/docs; Ctrl+C stops it)")
    sys.stdout.flush()
    server.run()
