"""The Django admin as one access class, and object-level access: someone else's object
answers exactly like a missing one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.urlwalk import MISSING_UUID, all_patterns

CHANGELISTS = sorted(
    p.name
    for p in all_patterns()
    if p.name and p.name.startswith("admin:") and p.name.endswith("_changelist")
)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_admin_index_and_every_changelist_only_for_platform_admins(world):
    assert CHANGELISTS, "the admin registers models"
    urls = [reverse("admin:index"), *(reverse(name) for name in CHANGELISTS)]
    outsiders = {
        "anon": None,
        "citizen": world.citizen,
        "officer": world.officer,
        "officer_nocap": world.officer_nocap,
    }
    problems = []
    admin = _client(world.admin)
    for url in urls:
        response = admin.get(url)
        if response.status_code != 200:
            problems.append(f"admin {url}: {response.status_code}")
        for role, user in outsiders.items():
            response = _client(user).get(url)
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and "/login/" in response["Location"]
            )
            if not refused:
                problems.append(f"{role} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def _same_as_missing(client: Client, url: str, missing_url: str) -> None:
    mine, missing = client.get(url), client.get(missing_url)
    assert mine.status_code == missing.status_code == 404, (url, mine.status_code)
    assert mine["Content-Type"] == missing["Content-Type"]


@pytest.mark.django_db
def test_other_citizens_objects_look_missing(world):
    stranger = _client(world.stranger)
    stored = world.stored_file()
    _same_as_missing(
        stranger,
        reverse("files:file", args=[stored.pk]),
        reverse("files:file", args=[MISSING_UUID]),
    )
    _same_as_missing(
        stranger,
        reverse("files:thumbnail", args=[stored.pk]),
        reverse("files:thumbnail", args=[MISSING_UUID]),
    )
    document = world.document()
    _same_as_missing(
        stranger,
        reverse("documents:download", args=[document.public_id]),
        reverse("documents:download", args=["TIDAKADA"]),
    )
    bill = world.bill()
    _same_as_missing(
        stranger, reverse("payments:bill", args=[bill.code]), reverse("payments:bill", args=["0"])
    )
    note = world.notification(title="Rahasia warga")
    response = stranger.post(reverse("notifications:mark_read", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    inbox = stranger.get(reverse("notifications:inbox"))
    assert "Rahasia warga" not in inbox.content.decode()


@pytest.mark.django_db
def test_data_export_holds_only_the_signed_in_users_data(world):
    world.notification(title="Milik warga pertama")
    response = _client(world.stranger).post(reverse("accounts:export"))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.stranger.email in body
    assert world.citizen.email not in body and "Milik warga pertama" not in body


@pytest.mark.django_db
def test_other_agencys_officer_gets_404_on_catalog_and_cashier(world):
    service = world.service(published=False)
    bill = world.bill()
    other = _client(world.officer_other)
    for url in (
        reverse("catalog_office:edit", args=[service.pk]),
        reverse("catalog_office:history", args=[service.pk]),
        reverse("catalog_office:pledge", args=[world.agency.pk]),
        reverse("payments:cashier_confirm", args=[bill.code]),
    ):
        assert other.get(url).status_code == 404, url
    listing = other.get(reverse("catalog_office:list")).content.decode()
    assert service.name not in listing
    cashier = other.get(reverse("payments:cashier_list")).content.decode()
    assert bill.code not in cashier and "Retribusi uji" not in cashier
    # The same officer of the right agency does reach them.
    own = _client(world.officer)
    assert own.get(reverse("catalog_office:edit", args=[service.pk])).status_code == 200
    assert own.get(reverse("payments:cashier_confirm", args=[bill.code])).status_code == 200
