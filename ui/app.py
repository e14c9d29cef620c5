"""The server: the HTTP API under ``/v1`` and the Gradio chat at ``/``, in one FastAPI app.

``create_app`` does no heavy work, so tests can build apps freely; the Advisor is built on first
use (or by ``Services.warm_up`` in ``advisor serve``).
"""

from __future__ import annotations

import os

import gradio as gr
from fastapi import FastAPI

from advisor import __version__
from advisor.settings import Settings
from ui.api import build_health_router, build_router, install_error_handlers
from ui.assets import CSS, HEAD
from ui.limits import ApiLimits
from ui.openai_api import install_openai_api
from ui.security import BodySizeLimit, RateLimit
from ui.services import Services
from ui.views import build_blocks

DESCRIPTION = """Cited advice on implementing and scaling AI/ML in organizations.

Every answer's sentences end with markers like [1]; each marker maps to a citation carrying the verbatim
words of a research paper, a practitioner quote, a playbook step or one of the user's documents.
When `ADVISOR_API_TOKEN` is set, every `/v1` route needs `Authorization: Bearer <token>`.
Errors are JSON `{"error", "detail"}`. The OpenAI-compatible routes (`/v1/models`, `/v1/chat/completions`)
answer in OpenAI's shapes, errors included (`{"error": {"message", "type", "param", "code"}}`)."""


def create_app(settings: Settings, services: Services | None = None, limits: ApiLimits | None = None) -> FastAPI:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    services = services or Services(settings)
    limits = limits or ApiLimits()
    app = FastAPI(title="Scaling Advisor API", version=__version__, description=DESCRIPTION)
    install_error_handlers(app)
    app.include_router(build_health_router(services))
    app.include_router(build_router(services, limits))
    app.add_middleware(RateLimit, rate_per_minute=limits.rate_per_minute, burst=limits.burst)
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_body_bytes)
    install_openai_api(app, services, limits)  # /v1/models, /v1/chat/completions; wraps the guards above
    app.state.services = services
    blocks = build_blocks(services)
    blocks.queue(default_concurrency_limit=4)
    theme = gr.themes.Soft(
        primary_hue="cyan",
        secondary_hue="slate",
        font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    )
    return gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        footer_links=[],  # the page's own events are private; the documented API is /v1 (see /docs)
        max_file_size=settings.max_upload_bytes + 1_000_000,
        theme=theme,
        css=CSS,
        head=HEAD,
        show_error=True,
        mcp_server=False,
        ssr_mode=False,
    )
