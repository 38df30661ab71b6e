"""Liveness and readiness probes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db


def test_healthz_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies
    assert client.post("/healthz").status_code == 405


def test_readyz_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "task_queue": {"status": "ok", "stale_ready_tasks": 0},
        },
        "warnings": [],
    }


def _task(*, enqueued_minutes_ago: int, run_after=None, status="READY") -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="loket.example.task",
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=status,
        exception_class_path="",
        traceback="",
    )
    enqueued = timezone.now() - timedelta(minutes=enqueued_minutes_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=enqueued)
    return task


def test_readyz_warns_about_stale_ready_tasks(client):
    _task(enqueued_minutes_ago=30)  # stale
    _task(enqueued_minutes_ago=2)  # fresh
    _task(enqueued_minutes_ago=30, status="SUCCESSFUL")  # done
    _task(enqueued_minutes_ago=60, run_after=timezone.now() + timedelta(hours=1))  # scheduled
    _task(enqueued_minutes_ago=60, run_after=timezone.now() - timedelta(minutes=20))  # overdue
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["task_queue"]["stale_ready_tasks"] == 2
    assert body["warnings"] == ["2 ready task(s) waiting more than 10 minutes"]


def test_readyz_503_when_database_fails(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server at 10.0.0.5")

    with connection.execute_wrapper(refuse):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database", "task_queue"]
    assert body["checks"]["database"] == {"status": "error", "error": "OperationalError"}
    assert "10.0.0.5" not in response.content.decode()


def test_readyz_503_names_only_the_task_queue_when_its_table_fails(client):
    def refuse_tasks(execute, sql, params, many, context):
        if DBTaskResult._meta.db_table in sql:
            raise OperationalError("no such table")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_tasks):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["task_queue"]
    assert response.json()["checks"]["database"] == {"status": "ok"}
