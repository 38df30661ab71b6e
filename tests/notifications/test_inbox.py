"""The inbox page: own notifications only, newest first, paginated, mark read by POST."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from loket.core.models import AuditEvent
from loket.notifications.models import Notification

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def add(user, n: int, *, read: bool = False) -> list[Notification]:
    from django.utils import timezone

    created = [
        Notification.objects.create(
            recipient=user,
            kind="test.hello",
            title=f"Judul {i}",
            body=f"Isi {i}",
            url="/akun/" if i % 2 else "",
            read_at=timezone.now() if read else None,
        )
        for i in range(n)
    ]
    return created


def titles(html: str) -> list[str]:
    return re.findall(r"Judul \d+", html)


@pytest.fixture
def citizen(make_user):
    return make_user()


@pytest.fixture
def client_for(citizen):
    client = Client()
    client.force_login(citizen)
    return client


def test_inbox_requires_login():
    response = Client().get(INBOX)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_newest_first_paginated_and_unread_bold(citizen, client_for):
    add(citizen, 30)
    first = client_for.get(INBOX)
    assert first.status_code == 200
    html = first.content.decode()
    assert titles(html)[:3] == ["Judul 29", "Judul 28", "Judul 27"]
    assert len(titles(html)) == 25
    assert "<strong>Judul 29</strong>" in html
    second = client_for.get(INBOX, {"page": 2})
    assert titles(second.content.decode()) == [f"Judul {i}" for i in range(4, -1, -1)]
    # A nonsense page number shows the first page instead of failing.
    assert client_for.get(INBOX, {"page": "x"}).status_code == 200


def test_only_the_owner_sees_and_marks_their_notifications(citizen, client_for, make_user):
    other = make_user()
    theirs = add(other, 1)[0]
    Notification.objects.filter(pk=theirs.pk).update(title="Rahasia orang lain")
    mine = add(citizen, 1)[0]
    html = client_for.get(INBOX).content.decode()
    assert "Rahasia orang lain" not in html
    assert mine.title in html
    response = client_for.post(reverse("notifications:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client_for.post(reverse("notifications:mark_read", args=[999999])).status_code == 404


def test_mark_one_read_and_open_its_link(citizen, client_for):
    plain, linked = add(citizen, 2)  # the second has url /akun/
    response = client_for.post(reverse("notifications:mark_read", args=[plain.pk]))
    assert response.status_code == 302
    assert response["Location"] == INBOX
    plain.refresh_from_db()
    assert plain.read_at is not None
    assert AuditEvent.objects.filter(action="notification.read").count() == 1
    # Marking again changes nothing and logs nothing.
    client_for.post(reverse("notifications:mark_read", args=[plain.pk]))
    assert AuditEvent.objects.filter(action="notification.read").count() == 1

    opened = client_for.post(reverse("notifications:mark_read", args=[linked.pk]), {"open": "1"})
    assert opened["Location"] == "/akun/"


def test_link_to_another_site_is_not_followed(citizen, client_for):
    note = add(citizen, 1)[0]
    Notification.objects.filter(pk=note.pk).update(url="https://evil.example/")
    response = client_for.post(reverse("notifications:mark_read", args=[note.pk]), {"open": "1"})
    assert response["Location"] == INBOX


def test_mark_all_read(citizen, client_for, make_user):
    add(citizen, 3)
    other = make_user()
    add(other, 2)
    response = client_for.post(reverse("notifications:mark_all_read"), {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?page=2"
    assert not Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2
    html = client_for.get(INBOX).content.decode()
    assert "<strong>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_marking_needs_post_and_a_csrf_token(citizen):
    note = add(citizen, 1)[0]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    assert strict.get(reverse("notifications:mark_read", args=[note.pk])).status_code == 405
    assert strict.post(reverse("notifications:mark_read", args=[note.pk])).status_code == 403
    assert strict.post(reverse("notifications:mark_all_read")).status_code == 403
    note.refresh_from_db()
    assert note.read_at is None


def test_header_shows_the_unread_count(citizen, client_for):
    add(citizen, 2)
    add(citizen, 1, read=True)
    html = client_for.get(INBOX).content.decode()
    assert re.search(r'class="unread-count">\(2<', html)


def test_query_count_does_not_grow_with_rows(citizen, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(page: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for.get(INBOX, {"page": page}).status_code == 200
        return len(queries)

    add(citizen, 3)
    few = count(1)
    add(citizen, 60)
    assert count(1) == few
    assert count(3) == few
    with django_assert_max_num_queries(8):
        client_for.get(INBOX)
