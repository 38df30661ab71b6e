"""The helpers of the load runs: percentiles, summaries, ratios, report writing, and the
private servers (a socket URL for the cluster, a Redis on a socket)."""

from __future__ import annotations

import json
import math
import os
import shutil

import pytest
from bench.document import goals_table, render
from bench.report import BEGIN, END, fmt, markdown_table, replace_generated, write_json
from bench.stats import percentile, ratio, summarize


def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 50) == 30.0
    assert percentile(values, 100) == 50.0
    assert percentile(values, 95) == pytest.approx(48.0)
    assert percentile([40.0, 10.0, 30.0, 20.0], 50) == pytest.approx(25.0)  # unsorted input


def test_percentile_edges() -> None:
    assert math.isnan(percentile([], 50))
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summarize_counts_errors_and_throughput() -> None:
    s = summarize(
        "x", [10.0, 20.0, 30.0, 40.0], [201, 201, 500, "conn"], seconds=2.0, ok_statuses=(201,)
    )
    assert (s.requests, s.ok, s.errors) == (4, 2, 2)
    assert s.error_rate == 0.5
    assert s.throughput_rps == 1.0
    assert s.statuses == {"201": 2, "500": 1, "conn": 1}
    assert s.as_dict()["p50_ms"] == 25.0
    with pytest.raises(ValueError):
        summarize("x", [1.0], [], seconds=1.0)


def test_summarize_empty_run() -> None:
    s = summarize("x", [], [], seconds=1.0)
    assert s.requests == 0 and s.error_rate == 0.0
    assert s.as_dict()["p95_ms"] is None


def test_ratio() -> None:
    assert ratio(30.0, 10.0) == 3.0
    assert ratio(None, 10.0) is None
    assert ratio(5.0, 0.0) is None
    assert ratio(float("nan"), 1.0) is None


def test_markdown_table_aligns_and_formats() -> None:
    table = markdown_table(["name", "n"], [["a", 1234], ["bb", 2.5]])
    lines = table.splitlines()
    assert lines[0] == "| name |     n |"
    assert lines[1] == "| ---- | ----: |"
    assert lines[2] == "| a    | 1,234 |"
    assert lines[3] == "| bb   |   2.5 |"
    with pytest.raises(ValueError):
        markdown_table(["a", "b"], [["only one"]])


def test_fmt() -> None:
    assert fmt(None) == "–"
    assert fmt(True) == "yes"
    assert fmt(1_000_000) == "1,000,000"
    assert fmt(3.14159, 2) == "3.14"


def test_replace_generated_keeps_the_rest_of_the_document() -> None:
    doc = "# Performance\n\n## Satisfaction survey\n\nnumbers\n"
    once = replace_generated(doc, "## Load\n\nfirst")
    assert once.startswith(doc.rstrip())
    assert BEGIN in once and END in once and "first" in once
    twice = replace_generated(once + "\n## After\n", "## Load\n\nsecond")
    assert "first" not in twice and "second" in twice
    assert twice.count(BEGIN) == 1
    assert "## Satisfaction survey" in twice and "## After" in twice


def test_write_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "results" / "report.json"
    write_json({"a": 1}, path)
    assert json.loads(path.read_text()) == {"a": 1}


def _report(throughput: float, p95: float) -> dict:  # type: ignore[type-arg]
    load = {"requests": 10, "ok": 10, "errors": 0, "throughput_rps": throughput, "p50_ms": 5.0,
            "p95_ms": p95, "p99_ms": p95, "error_rate": 0.0, "rows_match": True}  # fmt: skip
    return {"machine": {"nproc": 2}, "variants": {"postgresql": {
        "loads": {"complaint_submit": load, "floor_write": dict(load, throughput_rps=400.0)},
        "faults": {"e_parallel_idempotency": {"invariant": "one report", "verdict": "PASS"}},
    }}}  # fmt: skip


def test_goals_say_met_or_not() -> None:
    met = goals_table(_report(150.0, 100.0))
    assert "| submission throughput" in met and "NOT met" not in met.split("\n")[2]
    missed = goals_table(_report(50.0, 900.0))
    assert missed.count("**NOT met**") == 2
    assert "not measured" in missed  # list and map absent from this report


def test_render_has_tables_and_fault_verdicts() -> None:
    text = render(_report(50.0, 900.0))
    assert "Complaint submission" in text
    assert "**PASS**" in text
    assert "8.00" in text  # floor ÷ ok/s: 400 / 50


def test_the_cluster_is_reached_through_its_socket() -> None:
    from bench.pgcluster import PgCluster

    cluster = PgCluster(port=5499, socket_dir="/run/loket bench")
    assert cluster.socket_url == "postgres://postgres@%2Frun%2Floket%20bench:5499/loket_bench"
    import dj_database_url

    parsed = dj_database_url.parse(cluster.socket_url)
    assert (parsed["HOST"], parsed["PORT"]) == ("/run/loket bench", 5499)


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_private_redis_on_a_socket_starts_answers_and_goes() -> None:
    import redis
    from bench.redisserver import RedisServer

    server = RedisServer().start()
    try:
        assert server.url.startswith("unix://")
        client = redis.Redis(unix_socket_path=server.socket)
        assert client.ping()
        client.close()
    finally:
        server.stop()
    assert not os.path.exists(server.dir)
