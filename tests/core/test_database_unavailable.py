"""While the database is unreachable pages and the API answer 503 with Retry-After, not 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def _refuse(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.parametrize("path", ["/layanan/", "/api/v1/governments/"])
def test_unreachable_database_answers_503(client, path):
    with connection.execute_wrapper(_refuse):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "service_unavailable"
    else:
        assert "Coba lagi" in response.content.decode()
