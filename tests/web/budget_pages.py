"""The citizen pages whose weight is budgeted, with the data they need (built through the
modules' services). Shared by tests/web/test_budgets.py and scripts/page_weight.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from loket.complaints import services as complaints
from loket.complaints.models import Category
from loket.organizations.models import Role
from tests import factories as f


def build_pages() -> list[tuple[str, str]]:
    """Create one government with a published service and a public, dispatched report; return
    (label, path) of each citizen page, as an anonymous visitor sees it."""
    from tests.catalog.conftest import make_service

    gov = f.government("18.71", slug="bandar-lampung")
    f.region("18.71.01", "Tanjung Karang Pusat")
    village = f.region("18.71.01.1001", "Kelurahan Pasir Gintung")
    pupr = f.agency(gov, "pupr")
    kominfo = f.agency(gov, "kominfo")
    road = Category.objects.create(government=gov, name="Jalan rusak", service_code="BW-JALAN")
    service = make_service(pupr, published=True)
    coordinator = f.officer(kominfo, Role.COORDINATOR)
    handler = f.officer(pupr, Role.HANDLER)
    complaint = complaints.complaint_submit(
        government=gov,
        category=road,
        title="Jalan berlubang di depan SD 2",
        description="Lubang selebar satu meter, sudah dua motor terjatuh minggu ini.",
        region=village,
        latitude="-5.429200",
        longitude="105.261000",
        visibility="public",
        reporter=f.citizen(),
    ).complaint
    complaints.complaint_verify(complaint=complaint, actor=coordinator)
    complaints.complaint_dispatch(complaint=complaint, actor=coordinator, agency=pupr)
    complaints.complaint_start_work(
        complaint=complaint, actor=handler, estimate_date=date.today() + timedelta(days=7)
    )
    number = complaint.tracking_number
    return [
        ("Beranda", reverse("portal:home")),
        ("Katalog layanan", reverse("catalog:home")),
        (
            "Detail layanan",
            reverse("catalog:detail", kwargs={"government_slug": gov.slug, "slug": service.slug}),
        ),
        ("Daftar pengaduan", reverse("complaints:home")),
        ("Formulir laporan", reverse("complaints:report")),
        ("Lacak laporan", reverse("complaints:track", args=[number])),
        ("Laporan publik", reverse("complaints:detail", args=[number])),
        ("Daftar akun", reverse("accounts:signup")),
        ("Masuk", reverse("account_login")),
    ]
