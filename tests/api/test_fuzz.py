"""Property-based fuzz of the whole API from its own OpenAPI schema: no 5xx, and no response that
breaks the schema (status code, content type, body). Bounded so it runs in seconds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from app.api.settings import Settings
from app.main import create_app

from .conftest import TestClient


@pytest.fixture(scope="module")
def api_schema(models_dir: Any) -> Iterator[Any]:
    app = create_app(Settings(models_dir=models_dir, default_model="t-lstm"))
    with TestClient(app):  # runs the lifespan: the models load, the schema names them
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_never_errors_and_keeps_its_schema(case: Any) -> None:
    # Every other default check runs. This one expects a 2xx for any schema-valid body, but some
    # limits depend on the model and the sentence (a clamp's steps, units and layer must exist;
    # a text's token count), which a schema cannot say; those answer a 422 by design.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
