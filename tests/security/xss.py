"""The XSS corpus and the renderers that put it into every page showing user text.

A *renderer* takes the probed world and one payload, stores the payload wherever users can
write text (through the module's services where they accept it), and returns the pages that
show it: ``(client, url, "html" | "json")``. Add one renderer per module when its pages land
(complaints: report text, place, public answer, map popup data; applications: form answers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

PAYLOADS: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "single-quote-breakout": "' onmouseover='alert(1)' x='",
    "javascript-url": "javascript:alert(1)",
    "textarea-breakout": "</textarea><script>alert(1)</script>",
    "template-injection": "{{ 7777|add:1111 }}{% now 'Y' %}",
    "unicode-tricks": "\u202egnp.exe\u200b＜script＞alert(1)＜/script＞\U0001f600",
    "svg": "<svg/onload=alert(1)>",
}

# What must never appear in an HTML page that shows a payload. (Escaped payloads still read
# "onerror=alert(1)" as text; only a raw tag or an unescaped quote makes it markup.)
# The template payload must stay text, never be evaluated: its sum must not appear on its own
# (inside a longer number, such as a bill number, it is not the sum).
EVALUATED = re.compile(r"(?<![0-9])8888(?![0-9])")

RAW_MARKERS = (
    "<script>alert(1)",
    "<img src=x",
    '"><img',
    "<svg/onload",
    "</textarea><script",
    "onmouseover='alert",
    'href="javascript:',
    "href='javascript:",
    'src="javascript:',
)


@dataclass
class Page:
    client: Client
    url: str
    kind: str = "html"  # or "json"


Renderer = Callable[..., list[Page]]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[name] = fn
        return fn

    return register


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@renderer("profile-name")
def _profile(world, payload: str) -> list[Page]:
    from loket.accounts import services

    user = world.citizen
    services.update_profile(
        user=user,
        full_name=payload[:150],
        language="id",
        notify_email=True,
        notify_sms=False,
        notify_whatsapp=False,
    )
    client = _client(user)
    return [
        Page(client, reverse("accounts:profile")),
        Page(client, reverse("notifications:inbox")),
        Page(client, reverse("portal:home")),
        Page(client, reverse("api-me"), "json"),
    ]


@renderer("catalog-service")
def _catalog(world, payload: str) -> list[Page]:
    from loket.catalog import services
    from tests.catalog.conftest import service_input

    text = f"Layanan {payload}"
    data = service_input(
        name=text[:200],
        summary=text,
        requirements=f"KTP-el\n{payload}",
        procedure=f"Datang\n{payload}",
        output=text,
        legal_basis=text,
        complaint_handling=text,
        keywords=payload[:100],
        facilities=text,
    )
    service = services.service_create(actor=world.officer, agency=world.agency, data=data)
    services.service_set_published(actor=world.officer, service=service, published=True)
    service.refresh_from_db()
    public = Client()
    office = _client(world.officer)
    return [
        Page(public, reverse("catalog:home")),
        Page(public, reverse("catalog:home") + "?q=" + "Layanan"),
        Page(public, reverse("catalog:detail", args=[world.government.slug, service.slug])),
        Page(office, reverse("catalog_office:list")),
        Page(office, reverse("catalog_office:edit", args=[service.pk])),
        Page(office, reverse("catalog_office:history", args=[service.pk])),
        Page(office, reverse("catalog_office:version", args=[service.pk, 1])),
    ]


@renderer("catalog-search-query")
def _catalog_query(world, payload: str) -> list[Page]:
    from urllib.parse import quote

    office = _client(world.officer)
    return [
        Page(Client(), reverse("catalog:home") + "?q=" + quote(payload)),
        Page(office, reverse("catalog_office:list") + "?q=" + quote(payload)),
        Page(office, reverse("payments:cashier_list") + "?kode=" + quote(payload[:40])),
    ]


@renderer("notification")
def _notification(world, payload: str) -> list[Page]:
    from loket.notifications.services import notify

    world.notification(title=f"Judul {payload}"[:200], body=f"Isi {payload}")
    notify(recipient=world.citizen, kind="test.hello", context={"note": payload})
    return [Page(_client(world.citizen), reverse("notifications:inbox"))]


@renderer("document-verification")
def _document(world, payload: str) -> list[Page]:
    from loket.documents.services import DocumentField

    document = world.document(
        title=f"Surat {payload}"[:200],
        applicant_name=f"Budi {payload}"[:200],
        decision=f"Keputusan {payload}",
        fields=[DocumentField(f"Label {payload}"[:100], f"Nilai {payload}")],
        signatory_name=f"Siti {payload}"[:200],
        signatory_position=f"Kepala {payload}"[:200],
    )
    url = reverse("documents:verify", args=[document.public_id])
    return [Page(Client(), url), Page(_client(world.citizen), url)]


@renderer("bill")
def _bill(world, payload: str) -> list[Page]:
    from loket.payments.services import bill_create

    bill = bill_create(
        subject=world.citizen,
        government=world.government,
        agency=world.agency,
        amount=10_000,
        description=f"Retribusi {payload}"[:200],
        actor=None,
    )
    return [
        Page(_client(world.citizen), reverse("payments:bill", args=[bill.code])),
        Page(_client(world.officer), reverse("payments:cashier_list")),
        Page(_client(world.officer), reverse("payments:cashier_confirm", args=[bill.code])),
    ]


@renderer("officer-name")
def _officer_name(world, payload: str) -> list[Page]:
    world.officer.full_name = payload[:150]
    world.officer.save(update_fields=["full_name"])
    return [Page(_client(world.officer), reverse("backoffice:home"))]


@renderer("api-token-name")
def _api_token(world, payload: str) -> list[Page]:
    from loket.api.services import apikey_create

    apikey_create(name=payload[:100], scopes=[], user=world.citizen)
    return [Page(_client(world.citizen), reverse("api-tokens"), "json")]


@renderer("complaint-office")
def _complaint_office(world, payload: str) -> list[Page]:
    """Report text, place, notes, public answers and private messages as officers see them."""
    from urllib.parse import quote

    from loket.complaints import services
    from tests.complaints_office.world import coordinator, office_complaint

    complaint = office_complaint(
        world,
        title=f"Judul {payload}"[:150],
        description=f"Uraian {payload}",
        landmark=f"Patokan {payload}"[:200],
    )
    boss = coordinator(world)
    services.complaint_add_note(complaint=complaint, actor=boss, body=f"Catatan {payload}")
    services.complaint_add_note(
        complaint=complaint, actor=boss, body=f"Jawaban {payload}", public=True
    )
    services.complaint_message_reporter(complaint=complaint, actor=boss, body=f"Pesan {payload}")
    services.complaint_reporter_reply(complaint=complaint, user=world.citizen, body=payload)
    office = _client(world.officer)
    queue = reverse("complaints_office:queue")
    return [
        Page(office, queue + "?antrean=all"),
        Page(office, queue + "?antrean=all&q=" + quote(payload[:150])),
        Page(office, reverse("complaints_office:detail", args=[complaint.pk])),
        Page(_client(boss), reverse("complaints_office:detail", args=[complaint.pk])),
    ]


@renderer("complaint-portal")
def _complaint_portal(world, payload: str) -> list[Page]:
    """Report title, description and landmark, public answer, private messages and the map's
    popup data on the citizen and public pages; query values echoed back into forms."""
    from urllib.parse import quote

    from loket.complaints import services
    from tests.complaints_office.world import PIN, coordinator, office_complaint

    complaint = office_complaint(
        world,
        title=f"Judul {payload}"[:150],
        description=f"Uraian {payload}",
        landmark=f"Patokan {payload}"[:200],
    )
    boss = coordinator(world)
    services.complaint_add_note(
        complaint=complaint, actor=boss, body=f"Jawaban {payload}", public=True
    )
    services.complaint_message_reporter(complaint=complaint, actor=boss, body=f"Pesan {payload}")
    services.complaint_reporter_reply(complaint=complaint, user=world.citizen, body=payload)
    number = complaint.tracking_number
    public, citizen = Client(), _client(world.citizen)
    similar = f"?category={complaint.category_id}&latitude={PIN[0]}&longitude={PIN[1]}"
    text = quote(payload[:100])
    return [
        Page(public, reverse("complaints:home")),
        Page(public, reverse("complaints:detail", args=[number])),
        Page(public, reverse("complaints:track", args=[number])),
        Page(public, reverse("complaints:duplicates") + similar),
        Page(public, reverse("complaints:map_data") + "?bbox=94,-11,141,6", "json"),
        Page(public, reverse("complaints:home") + f"?dari={text}&wilayah={text}"),
        Page(public, reverse("complaints:map") + f"?kategori={text}&status={text}"),
        Page(public, reverse("complaints:track_form") + f"?nomor={text}"),
        Page(citizen, reverse("complaints:mine")),
        Page(citizen, reverse("complaints:mine_detail", args=[number])),
    ]
