"""Property-based fuzzing of the whole HTTP API from its own /openapi.json: no request may cause a 5xx.

Schemathesis runs as a subprocess against a real uvicorn server on loopback over the real Advisor,
bounded in examples per operation and in total time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from advisor.service import Advisor
from tests.ui.server import running_server
from ui.app import create_app
from ui.limits import ApiLimits
from ui.services import Services

from .conftest import API_TOKEN

pytestmark = pytest.mark.slow


def test_no_5xx_anywhere_in_the_schema(advisor_service: Advisor, tmp_path: Path) -> None:
    settings = advisor_service.settings.model_copy(update={"api_token": API_TOKEN})
    app = create_app(settings, Services(settings, advisor=advisor_service), ApiLimits(rate_per_minute=0))
    with running_server(app) as url:
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{url}/openapi.json",
                "--checks",
                "not_a_server_error",
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                "12",
                "--max-time",
                "240",
                "--workers",
                "1",
                "--request-timeout",
                "180",
                "--seed",
                "20261123",
                "--suppress-health-check",
                "all",
                "--header",
                f"Authorization: Bearer {API_TOKEN}",
                "--report",
                "junit",
                "--report-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=900,
        )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    (report,) = tmp_path.glob("junit-*.xml")
    suite = ElementTree.parse(report).getroot()
    tested = {case.get("name") for case in suite.iter("testcase")}
    assert {"POST /v1/ask", "POST /v1/ask/stream", "POST /v1/diagnose", "GET /v1/search"} <= tested, tested
    assert suite.get("failures") == "0" and suite.get("errors") == "0", output[-6000:]
