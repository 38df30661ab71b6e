"""Demo forms, workflows, officers and applications for five online services of Kota Bandar
Lampung. Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict

from loket.accounts.models import User
from loket.applications import services
from loket.applications.models import Application, FormDefinition
from loket.catalog.models import Service
from loket.core.permissions import officer_scope
from loket.organizations.models import Agency, Membership, Role

GOV = "bandar-lampung"
KECAMATAN = "kecamatan-tanjung-karang-pusat"
DEMO_NIK = "1871011203850003"
_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

IDENTITY: list[dict[str, Any]] = [
    {
        "code": "nama",
        "type": "text",
        "label": "Nama lengkap sesuai KTP-el",
        "label_en": "Full name as on the ID card",
        "required": True,
    },
    {
        "code": "nik",
        "type": "nik",
        "label": "NIK",
        "label_en": "National ID number (NIK)",
        "required": True,
        "help": "16 angka pada KTP-el.",
        "help_en": "16 digits on the ID card.",
    },
    {
        "code": "ponsel",
        "type": "phone",
        "label": "Nomor ponsel",
        "label_en": "Mobile number",
        "required": True,
    },
]
CONSENT: dict[str, Any] = {
    "code": "pernyataan",
    "type": "consent",
    "required": True,
    "label": "Saya menyatakan data yang saya isi benar.",
    "label_en": "I declare that the data I entered is true.",
}
KTP: dict[str, Any] = {
    "code": "ktp",
    "label": "KTP-el",
    "label_en": "ID card",
    "kinds": ["pdf", "image"],
    "max_mb": 2,
    "required": True,
}
KK: dict[str, Any] = {
    "code": "kk",
    "label": "Kartu Keluarga",
    "label_en": "Family card",
    "kinds": ["pdf", "image"],
    "max_mb": 2,
    "required": True,
}

SETUPS: dict[str, dict[str, Any]] = {
    "Surat keterangan domisili": {
        "agency": KECAMATAN,
        "fields": [
            *IDENTITY,
            {
                "code": "keperluan",
                "type": "choice",
                "label": "Keperluan",
                "label_en": "Purpose",
                "required": True,
                "choices": [
                    {
                        "value": "tinggal",
                        "label": "Domisili tempat tinggal",
                        "label_en": "Residence",
                    },
                    {"value": "usaha", "label": "Domisili usaha", "label_en": "Business"},
                ],
            },
            {
                "code": "nama_usaha",
                "type": "text",
                "label": "Nama usaha",
                "label_en": "Business name",
                "required": True,
                "show_if": {"field": "keperluan", "value": "usaha"},
            },
            {
                "code": "wilayah",
                "type": "region",
                "label": "Kelurahan tempat tinggal",
                "label_en": "Village of residence",
                "required": True,
            },
            {
                "code": "alamat",
                "type": "textarea",
                "label": "Alamat lengkap",
                "label_en": "Full address",
                "required": True,
            },
            CONSENT,
        ],
        "requirements": [KTP, KK],
        "steps": [
            {"name": "Verifikasi berkas", "role": Role.HANDLER, "days": 1},
            {"name": "Tanda tangan camat", "role": Role.SUPERVISOR, "days": 1},
        ],
        "overall": 2,
    },
    "Surat keterangan tidak mampu (SKTM)": {
        "agency": KECAMATAN,
        "fields": [
            *IDENTITY,
            {
                "code": "penghasilan",
                "type": "number",
                "label": "Penghasilan keluarga per bulan (Rp)",
                "label_en": "Monthly household income (IDR)",
                "required": True,
                "min": 0,
            },
            {
                "code": "tanggungan",
                "type": "number",
                "label": "Jumlah tanggungan",
                "label_en": "Dependants",
                "required": True,
                "min": 0,
                "max": 30,
            },
            {
                "code": "untuk",
                "type": "multichoice",
                "label": "Digunakan untuk",
                "label_en": "Used for",
                "required": True,
                "choices": [
                    {"value": "sekolah", "label": "Keringanan biaya sekolah", "label_en": "School"},
                    {"value": "berobat", "label": "Keringanan biaya berobat", "label_en": "Health"},
                    {"value": "lain", "label": "Lainnya", "label_en": "Other"},
                ],
            },
            {
                "code": "untuk_lain",
                "type": "text",
                "label": "Sebutkan keperluan lain",
                "label_en": "Other purpose",
                "required": True,
                "show_if": {"field": "untuk", "value": "lain"},
            },
            CONSENT,
        ],
        "requirements": [
            KTP,
            KK,
            {
                "code": "pernyataan_tidak_mampu",
                "label": "Surat pernyataan tidak mampu bermeterai",
                "label_en": "Signed statement of inability",
                "kinds": ["pdf"],
                "max_mb": 2,
                "required": True,
            },
        ],
        "steps": [
            {"name": "Verifikasi berkas", "role": Role.HANDLER, "days": 1},
            {"name": "Tanda tangan camat", "role": Role.SUPERVISOR, "days": 1},
        ],
        "overall": 2,
    },
    "Izin penyelenggaraan reklame": {
        "agency": "dpmptsp",
        "fields": [
            *IDENTITY,
            {
                "code": "jenis",
                "type": "choice",
                "label": "Jenis reklame",
                "label_en": "Kind",
                "required": True,
                "choices": [
                    {"value": "papan", "label": "Papan/billboard", "label_en": "Billboard"},
                    {"value": "baliho", "label": "Baliho", "label_en": "Banner"},
                    {"value": "videotron", "label": "Videotron", "label_en": "Video screen"},
                ],
            },
            {
                "code": "ukuran",
                "type": "number",
                "label": "Luas bidang reklame (m²)",
                "label_en": "Area (m²)",
                "required": True,
                "min": 0.5,
                "max": 500,
            },
            {
                "code": "mulai",
                "type": "date",
                "label": "Tanggal mulai tayang",
                "label_en": "Start date",
                "required": True,
            },
            {
                "code": "lokasi",
                "type": "location",
                "label": "Titik lokasi reklame",
                "label_en": "Location",
                "required": True,
            },
            {
                "code": "email",
                "type": "email",
                "label": "Email perusahaan",
                "label_en": "Company email",
            },
            CONSENT,
        ],
        "requirements": [
            KTP,
            {
                "code": "desain",
                "label": "Desain dan ukuran reklame",
                "label_en": "Design and size",
                "kinds": ["pdf", "image"],
                "max_mb": 5,
                "required": True,
            },
            {
                "code": "foto_lokasi",
                "label": "Foto lokasi pemasangan",
                "label_en": "Photo of the site",
                "kinds": ["image"],
                "max_mb": 5,
                "required": True,
            },
        ],
        "steps": [
            {"name": "Verifikasi berkas", "role": Role.HANDLER, "days": 2},
            {"name": "Pemeriksaan teknis", "role": Role.LIAISON, "days": 2},
            {"name": "Penetapan izin", "role": Role.SUPERVISOR, "days": 1},
        ],
        "overall": 5,
    },
    "Surat Izin Praktik (SIP) Bidan": {
        "agency": "dpmptsp",
        "fields": [
            *IDENTITY,
            {
                "code": "nomor_str",
                "type": "text",
                "label": "Nomor STR",
                "label_en": "STR number",
                "required": True,
            },
            {
                "code": "tempat_praktik",
                "type": "text",
                "label": "Nama fasilitas tempat praktik",
                "label_en": "Practice facility",
                "required": True,
            },
            {"code": "email", "type": "email", "label": "Email", "label_en": "Email"},
            CONSENT,
        ],
        "requirements": [
            KTP,
            {
                "code": "str",
                "label": "STR yang masih berlaku",
                "label_en": "Valid registration (STR)",
                "kinds": ["pdf"],
                "max_mb": 2,
                "required": True,
            },
            {
                "code": "rekomendasi_ibi",
                "label": "Rekomendasi IBI",
                "label_en": "IBI recommendation",
                "kinds": ["pdf"],
                "max_mb": 2,
                "required": True,
            },
        ],
        "steps": [
            {"name": "Verifikasi berkas", "role": Role.HANDLER, "days": 2},
            {"name": "Penandatanganan", "role": Role.SUPERVISOR, "days": 2},
        ],
        "overall": 5,
    },
    "Rekomendasi izin penelitian": {
        "agency": None,  # wherever the catalogue put it
        "fields": [
            *IDENTITY,
            {
                "code": "judul",
                "type": "textarea",
                "label": "Judul penelitian",
                "label_en": "Research title",
                "required": True,
            },
            {
                "code": "lokasi_penelitian",
                "type": "text",
                "label": "Lokasi penelitian",
                "label_en": "Research site",
                "required": True,
            },
            CONSENT,
        ],
        "requirements": [
            KTP,
            {
                "code": "surat_kampus",
                "label": "Surat pengantar perguruan tinggi",
                "label_en": "University letter",
                "kinds": ["pdf"],
                "max_mb": 2,
                "required": True,
            },
        ],
        "steps": [{"name": "Verifikasi dan penandatanganan", "role": Role.HANDLER, "days": 3}],
        "overall": 3,
    },
}


def _officer(agency: Agency, role: str, local: str, name: str) -> User:
    from loket.demo import data
    from loket.demo.services import _activate_totp, _verified_user

    email = f"{local}@{data.EMAIL_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = _verified_user(email=email, name=name, kind=User.Kind.OFFICER)
        _activate_totp(user)
    Membership.objects.get_or_create(user=user, agency=agency, role=role)
    return user


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _PDF, content_type="application/pdf")


def _values(service_name: str) -> QueryDict:
    q = QueryDict(mutable=True)
    q.update(
        {"nama": "Budi Santoso", "nik": DEMO_NIK, "ponsel": "0812 7000 1234", "pernyataan": "on"}
    )
    extra: dict[str, Any] = {
        "Surat keterangan domisili": {
            "keperluan": "tinggal",
            "wilayah": "18.71.01.1003",
            "alamat": "Jl. Raden Intan No. 10, Enggal",
        },
        "Surat keterangan tidak mampu (SKTM)": {
            "penghasilan": "1.500.000",
            "tanggungan": "3",
            "untuk": "sekolah",
        },
        "Surat Izin Praktik (SIP) Bidan": {
            "nomor_str": "STR-1871-2025-0042",
            "tempat_praktik": "Praktik Mandiri Bidan Sari",
        },
    }.get(service_name, {})
    q.update(extra)
    return q


def _uploads(service: Service) -> dict[str, SimpleUploadedFile]:
    form = FormDefinition.objects.filter(service=service).order_by("-number").first()
    assert form is not None
    return {r["code"]: _pdf(f"{r['code']}.pdf") for r in form.requirements if "pdf" in r["kinds"]}


def install_demo_applications() -> int:
    """Forms and workflows for five online demo services, their officers, and a few
    applications of the demo citizen in different states. Returns how many services it set
    up; nothing happens twice."""
    services_by_name = {
        s.name: s
        for s in Service.objects.filter(government__slug=GOV, name__in=list(SETUPS)).select_related(
            "agency"
        )
    }
    if not services_by_name:
        return 0
    done = 0
    with transaction.atomic():
        for name, setup in SETUPS.items():
            service = services_by_name.get(name)
            if service is None or not service.is_online:
                continue
            if not service.form_definitions.exists():
                services.form_definition_save(
                    actor=None,
                    service=service,
                    fields=setup["fields"],
                    requirements=setup["requirements"],
                    change_note="Formulir awal (demo)",
                )
            if not service.workflow_definitions.exists():
                services.workflow_definition_save(
                    actor=None,
                    service=service,
                    steps=setup["steps"],
                    overall_days=setup["overall"],
                    change_note="Alur awal (demo)",
                )
            slug = service.agency.slug
            _officer(service.agency, Role.HANDLER, f"petugas.{slug}", f"Petugas {service.agency}")
            _officer(service.agency, Role.LIAISON, f"teknis.{slug}", f"Tim teknis {service.agency}")
            _officer(service.agency, Role.SUPERVISOR, f"kepala.{slug}", f"Kepala {service.agency}")
            done += 1
        _demo_applications(services_by_name)
    return done


def _demo_applications(services_by_name: dict[str, Service]) -> None:
    from loket.demo import data

    citizen = User.objects.filter(email=data.citizen_email("warga")).first()
    if citizen is None or Application.objects.filter(applicant=citizen).exists():
        return

    def submitted(name: str) -> Application | None:
        service = services_by_name.get(name)
        if service is None or not service.form_definitions.exists():
            return None
        draft = services.application_start(applicant=citizen, service=service)
        return services.application_submit(
            applicant=citizen,
            application=draft,
            values=_values(name),
            uploads=_uploads(service),
            idempotency_key=f"demo-{service.pk:08d}",
        )

    def staff(application: Application, role: str) -> tuple[User, Any]:
        user = User.objects.get(
            memberships__agency_id=application.agency_id,
            memberships__role=role,
            email__startswith={
                "handler": "petugas.",
                "liaison": "teknis.",
                "supervisor": "kepala.",
            }[role],
        )
        return user, officer_scope(user)

    domisili = submitted("Surat keterangan domisili")
    if domisili is not None:
        officer, scope = staff(domisili, Role.HANDLER)
        services.application_forward(
            officer=officer,
            scope=scope,
            application=domisili,
            expected_step=0,
            note="Berkas lengkap.",
        )
        head, head_scope = staff(domisili, Role.SUPERVISOR)
        services.application_approve(
            officer=head, scope=head_scope, application=domisili, expected_step=1
        )
        services.application_issue(officer=head, scope=head_scope, application=domisili)
    sktm = submitted("Surat keterangan tidak mampu (SKTM)")
    if sktm is not None:
        officer, scope = staff(sktm, Role.HANDLER)
        services.application_return(
            officer=officer,
            scope=scope,
            application=sktm,
            expected_step=0,
            fields=["penghasilan"],
            documents=["kk"],
            note="Penghasilan tidak sesuai surat pernyataan; unggah Kartu Keluarga terbaru.",
        )
    sip = submitted("Surat Izin Praktik (SIP) Bidan")
    if sip is not None:
        officer, scope = staff(sip, Role.HANDLER)
        services.application_assign(officer=officer, scope=scope, application=sip, assignee=officer)
    rekomendasi = services_by_name.get("Rekomendasi izin penelitian")
    if rekomendasi is not None and rekomendasi.form_definitions.exists():
        services.application_start(applicant=citizen, service=rekomendasi)  # a draft
