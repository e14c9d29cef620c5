"""A real server over the session's real Advisor, shared by the slow API, chat and browser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from advisor.service import Advisor
from ui.app import create_app
from ui.limits import ApiLimits
from ui.services import Services

from .server import running_server

API_TOKEN = "test-token-123"


@pytest.fixture(scope="session")
def ui_services(advisor_service: Advisor) -> Services:
    return Services(advisor_service.settings, advisor=advisor_service)


@pytest.fixture(scope="session")
def live_server(ui_services: Services) -> Iterator[str]:
    """The UI and API on a free port, with a bearer token set (the API then requires it)."""
    settings = ui_services.settings.model_copy(update={"api_token": API_TOKEN})
    services = Services(settings, advisor=ui_services.advisor)
    app = create_app(settings, services, ApiLimits(rate_per_minute=0))
    with running_server(app) as url:
        yield url
