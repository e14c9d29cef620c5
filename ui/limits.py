"""How much the HTTP API accepts from one client: body size and request rate.

Kept apart from the advisor's Settings because only the server reads them; built at the entry point
(``advisor serve``) from ``ADVISOR_API_*`` variables and passed to ``create_app``.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiLimits(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADVISOR_API_", extra="ignore")

    max_body_bytes: int = Field(
        default=1_000_000, gt=0, description="Larger /v1 request bodies are refused with 413 before being read whole."
    )
    rate_per_minute: int = Field(
        default=120, ge=0, description="Requests per minute per client on /v1 (0 = no limit, e.g. for load tests)."
    )
    burst: int = Field(default=30, gt=0, description="Requests a client may send at once before the rate applies.")
    max_history_turns: int = Field(default=50, gt=0, description="Longest history accepted by /v1/ask.")
