"""Demo complaints: category trees, routing tables and ~40 reports in Bandar Lampung and
Provinsi Lampung in every state, filed and handled through the real services. Idempotent."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from loket.accounts.models import User
from loket.complaints import services
from loket.complaints.models import Category, Complaint, RoutingRule
from loket.organizations.models import Agency, Government, Region

BDL, LPG, LPU = "bandar-lampung", "lampung", "lampung-utara"

# (code suffix, name, parent suffix or "", requires after photo, description, keywords)
TREE: dict[str, tuple[tuple[str, str, str, bool, str, str], ...]] = {
    BDL: (
        ("INFRA", "Infrastruktur", "", False, "Jalan, jembatan, PJU, drainase", ""),
        ("JALAN", "Jalan rusak/berlubang", "INFRA", True, "Jalan kota rusak", "lubang aspal"),
        ("JEMBATAN", "Jembatan", "INFRA", True, "Jembatan rusak atau membahayakan", ""),
        ("PJU", "Lampu penerangan jalan umum mati", "INFRA", True, "PJU padam", "lampu gelap"),
        ("DRAINASE", "Saluran air/drainase tersumbat", "INFRA", True, "Got mampet", "got"),
        ("BANJIR", "Banjir/genangan", "INFRA", False, "Genangan setelah hujan", "banjir"),
        ("TROTOAR", "Trotoar", "INFRA", False, "Trotoar rusak", ""),
        ("LINGK", "Lingkungan", "", False, "Sampah, pohon, pencemaran", ""),
        ("SAMPAH", "Sampah", "LINGK", True, "Sampah tidak diangkut", "TPS"),
        ("POHON", "Pohon tumbang/perlu pemangkasan", "LINGK", True, "Pohon", ""),
        ("CEMAR", "Pencemaran", "LINGK", False, "Air, udara, bau", "bau limbah"),
        ("TERTIB", "Ketertiban", "", False, "Parkir liar, PKL, bangunan liar", ""),
        ("PARKIR", "Parkir liar", "TERTIB", False, "Parkir di badan jalan", "jukir"),
        ("PKL", "Pedagang di trotoar", "TERTIB", False, "PKL menutup trotoar", ""),
        ("LAYANAN", "Pelayanan publik", "", False, "Adminduk, kesehatan, bansos", ""),
        ("ADMINDUK", "Administrasi kependudukan", "LAYANAN", False, "KTP-el, KK, akta", "ktp"),
        ("KESEHATAN", "Kesehatan (puskesmas, RSUD)", "LAYANAN", False, "Layanan kesehatan", ""),
        ("BANSOS", "Bantuan sosial", "LAYANAN", False, "Bansos tidak tepat sasaran", "dtks"),
        ("PUNGLI", "Pungutan liar", "LAYANAN", False, "Pungutan tanpa dasar", "pungli"),
    ),
    LPG: (
        ("INFRA", "Infrastruktur provinsi", "", False, "Jalan dan jembatan provinsi", ""),
        ("JALAN", "Jalan provinsi rusak", "INFRA", True, "Ruas jalan berstatus provinsi", ""),
        ("LAYANAN", "Pelayanan publik", "", False, "RSUD, SMA/SMK, Samsat", ""),
        ("RSUD", "RSUD Abdul Moeloek", "LAYANAN", False, "Layanan rumah sakit provinsi", ""),
        ("SEKOLAH", "SMA/SMK negeri", "LAYANAN", False, "Sekolah menengah atas", "ppdb"),
        ("SAMSAT", "Pajak kendaraan (Samsat)", "LAYANAN", False, "PKB dan Samsat", "pkb"),
    ),
    LPU: (
        ("JALAN", "Jalan rusak", "", True, "Jalan kabupaten rusak", ""),
        ("SAMPAH", "Sampah", "", False, "Sampah tidak diangkut", ""),
    ),
}
PREFIX = {BDL: "BDL", LPG: "LPG", LPU: "LPU"}
# (government, category suffix or "" for any, region prefix, agency slug)
ROUTES: tuple[tuple[str, str, str, str], ...] = (
    (BDL, "INFRA", "", "pupr"),
    (BDL, "PJU", "", "dishub"),
    (BDL, "LINGK", "", "dlh"),
    (BDL, "PARKIR", "", "dishub"),
    (BDL, "PKL", "", "satpol-pp"),
    (BDL, "ADMINDUK", "", "disdukcapil"),
    (BDL, "KESEHATAN", "", "dinkes"),
    (BDL, "BANSOS", "", "dinsos"),
    (BDL, "PUNGLI", "", "inspektorat"),
    (LPG, "JALAN", "", "bmbk"),
    (LPG, "RSUD", "", "rsud-abdul-moeloek"),
    (LPG, "SEKOLAH", "", "disdikbud"),
    (LPG, "SAMSAT", "", "bapenda"),
    (LPU, "JALAN", "", "pupr"),
)


@dataclass(frozen=True)
class Report:
    gov: str
    category: str
    title: str
    description: str
    village: str
    pin: tuple[float, float] | None
    state: str
    citizen: str = "warga"
    public: bool = True
    anonymous: bool = False
    landmark: str = ""
    agency: str = ""


R = Report
REPORTS: tuple[Report, ...] = (
    R(
        BDL,
        "JALAN",
        "Jalan berlubang di Jl. Teuku Umar",
        "Lubang sedalam 20 cm di lajur kiri, sudah dua pengendara motor jatuh minggu ini.",
        "18.71.01.1003",
        (-5.3905, 105.2618),
        "closed",
        landmark="Depan minimarket",
    ),
    R(
        BDL,
        "JALAN",
        "Aspal mengelupas Jl. ZA Pagar Alam",
        "Aspal mengelupas sepanjang 50 meter setelah hujan deras.",
        "18.71.01.1003",
        (-5.3846, 105.2590),
        "in_progress",
    ),
    R(
        BDL,
        "JALAN",
        "Jalan rusak menuju pasar Panjang",
        "Jalan penuh lubang, truk pengangkut ikan sering terperosok.",
        "18.71.04.1001",
        (-5.4720, 105.3140),
        "dispatched",
        citizen="warga2",
    ),
    R(
        BDL,
        "JALAN",
        "Lubang di tikungan Jl. Soekarno-Hatta",
        "Lubang besar tepat di tikungan, berbahaya malam hari.",
        "18.71.02.1003",
        (-5.3830, 105.3010),
        "resolved",
    ),
    R(
        BDL,
        "JALAN",
        "Jalan amblas dekat gorong-gorong",
        "Badan jalan amblas di atas gorong-gorong.",
        "18.71.03.1001",
        (-5.4180, 105.2380),
        "waiting",
        citizen="warga3",
    ),
    R(
        BDL,
        "JALAN",
        "Paving rusak di gang",
        "Paving block lepas di gang perumahan.",
        "18.71.06.1001",
        (-5.4010, 105.2660),
        "received",
        public=False,
    ),
    R(
        BDL,
        "JALAN",
        "Jalan berlubang Jl. Ratu Dibalau",
        "Banyak lubang kecil yang melebar.",
        "18.71.02.1003",
        (-5.3790, 105.2890),
        "verification",
    ),
    R(
        BDL,
        "JALAN",
        "Jalan rusak Sukajawa",
        "Jalan lingkungan rusak berat sejak tahun lalu.",
        "18.71.03.1002",
        (-5.4120, 105.2470),
        "reopened",
        citizen="warga2",
    ),
    R(
        BDL,
        "JALAN",
        "Lubang di Jl. Kartini",
        "Lubang di depan pertokoan, air menggenang.",
        "18.71.07.1002",
        (-5.4380, 105.2620),
        "in_progress",
    ),
    R(
        BDL,
        "JALAN",
        "Jalan rusak Kupang Raya",
        "Jalan rusak di tanjakan.",
        "18.71.09.1003",
        (-5.4290, 105.2560),
        "dispatched",
        anonymous=True,
    ),
    R(
        BDL,
        "JEMBATAN",
        "Pagar jembatan Way Kuala patah",
        "Pagar pengaman jembatan patah, anak sekolah melintas setiap hari.",
        "18.71.07.1001",
        (-5.4460, 105.2580),
        "dispatched",
    ),
    R(
        BDL,
        "PJU",
        "Lampu jalan mati Jl. Wolter Monginsidi",
        "Lima tiang lampu padam sejak dua minggu.",
        "18.71.06.1002",
        (-5.4150, 105.2600),
        "dispatched",
    ),
    R(
        BDL,
        "PJU",
        "PJU padam di Way Halim",
        "Jalan gelap, rawan begal.",
        "18.71.05.1002",
        (-5.3870, 105.2770),
        "received",
        anonymous=True,
    ),
    R(
        BDL,
        "DRAINASE",
        "Got tersumbat sampah",
        "Saluran tersumbat, air meluap ke jalan saat hujan.",
        "18.71.05.1003",
        (-5.4060, 105.2810),
        "in_progress",
    ),
    R(
        BDL,
        "DRAINASE",
        "Drainase tertutup bangunan",
        "Saluran ditutup bangunan toko.",
        "18.71.06.1001",
        (-5.4030, 105.2680),
        "verification",
        public=False,
    ),
    R(
        BDL,
        "BANJIR",
        "Genangan di underpass",
        "Genangan setinggi lutut setiap hujan.",
        "18.71.02.1003",
        (-5.3800, 105.2950),
        "dispatched",
    ),
    R(
        BDL,
        "TROTOAR",
        "Trotoar berlubang Jl. Raden Intan",
        "Trotoar berlubang, penyandang disabilitas sulit lewat.",
        "18.71.06.1002",
        (-5.4170, 105.2590),
        "closed",
    ),
    R(
        BDL,
        "SAMPAH",
        "Sampah menumpuk di TPS Kedaton",
        "Sampah tidak diangkut seminggu, bau.",
        "18.71.01.1003",
        (-5.3920, 105.2630),
        "resolved",
        citizen="warga3",
    ),
    R(
        BDL,
        "SAMPAH",
        "Pembuangan sampah liar",
        "Warga membuang sampah di lahan kosong.",
        "18.71.04.1002",
        (-5.4800, 105.3200),
        "in_progress",
    ),
    R(
        BDL,
        "SAMPAH",
        "Sampah pasar tidak diangkut",
        "Sampah pasar menumpuk di pinggir jalan.",
        "18.71.07.1002",
        (-5.4390, 105.2630),
        "received",
    ),
    R(
        BDL,
        "SAMPAH",
        "TPS penuh di Kupang Kota",
        "Kontainer penuh, sampah berserakan.",
        "18.71.09.1001",
        (-5.4300, 105.2590),
        "closed",
        citizen="warga2",
    ),
    R(
        BDL,
        "POHON",
        "Pohon tumbang menutup jalan",
        "Pohon besar tumbang setelah angin kencang.",
        "18.71.03.1001",
        (-5.4190, 105.2400),
        "closed",
    ),
    R(
        BDL,
        "POHON",
        "Dahan rawan patah",
        "Dahan besar menjuntai di atas kabel listrik.",
        "18.71.05.1003",
        (-5.4070, 105.2800),
        "dispatched",
    ),
    R(
        BDL,
        "CEMAR",
        "Bau limbah dari sungai",
        "Air sungai hitam dan berbau.",
        "18.71.04.1003",
        (-5.4650, 105.3100),
        "verification",
    ),
    R(
        BDL,
        "PARKIR",
        "Parkir liar di depan mal",
        "Kendaraan parkir di badan jalan, macet.",
        "18.71.06.1002",
        (-5.4160, 105.2610),
        "dispatched",
    ),
    R(
        BDL,
        "PARKIR",
        "Juru parkir liar minta tarif tinggi",
        "Tarif parkir Rp10.000 tanpa karcis.",
        "18.71.06.1001",
        (-5.4000, 105.2650),
        "received",
        public=False,
        anonymous=True,
    ),
    R(
        BDL,
        "PKL",
        "PKL menutup trotoar",
        "Pedagang menempati seluruh trotoar.",
        "18.71.07.1002",
        (-5.4370, 105.2610),
        "rejected",
    ),
    R(
        BDL,
        "ADMINDUK",
        "KTP-el belum jadi tiga bulan",
        "Sudah rekam sejak tiga bulan, belum dicetak.",
        "18.71.01.1003",
        None,
        "in_progress",
        public=False,
    ),
    R(
        BDL,
        "ADMINDUK",
        "Antrean akta kelahiran",
        "Antrean sangat panjang, nomor habis pagi.",
        "18.71.02.1003",
        None,
        "dispatched",
        public=False,
        citizen="warga2",
    ),
    R(
        BDL,
        "KESEHATAN",
        "Puskesmas tutup jam kerja",
        "Puskesmas tutup pukul 11 siang.",
        "18.71.05.1002",
        (-5.3880, 105.2760),
        "dispatched",
        public=False,
    ),
    R(
        BDL,
        "BANSOS",
        "Bansos tidak tepat sasaran",
        "Tetangga mampu menerima, yang miskin tidak.",
        "18.71.04.1001",
        None,
        "verification",
        public=False,
        anonymous=True,
    ),
    R(
        BDL,
        "PUNGLI",
        "Pungutan saat mengurus surat",
        "Diminta uang Rp50.000 untuk surat pengantar.",
        "18.71.03.1002",
        None,
        "dispatched",
        public=False,
        anonymous=True,
    ),
    R(
        BDL,
        "PUNGLI",
        "Pungli di sekolah",
        "Sekolah memungut uang seragam wajib.",
        "18.71.09.1003",
        None,
        "received",
        public=False,
        anonymous=True,
        citizen="warga3",
    ),
    R(
        BDL,
        "JALAN",
        "Jalan rusak (dobel)",
        "Sama dengan laporan jalan Teuku Umar.",
        "18.71.01.1003",
        (-5.3906, 105.2619),
        "merged",
        citizen="warga3",
    ),
    R(
        LPG,
        "JALAN",
        "Jalan provinsi rusak di Natar",
        "Ruas Natar–Branti berlubang besar.",
        "18.71.10.1001",
        (-5.3500, 105.2300),
        "in_progress",
    ),
    R(
        LPG,
        "JALAN",
        "Jalan provinsi amblas",
        "Badan jalan amblas di ruas Kemiling.",
        "18.71.13.1001",
        (-5.3900, 105.2100),
        "dispatched",
    ),
    R(
        LPG,
        "JALAN",
        "Retak memanjang jalan provinsi",
        "Retak panjang di bahu jalan.",
        "18.71.10.1001",
        (-5.3550, 105.2350),
        "resolved",
        citizen="warga2",
    ),
    R(
        LPG,
        "RSUD",
        "Antrean poli RSUD lama",
        "Menunggu lima jam di poli penyakit dalam.",
        "18.71.01.1003",
        None,
        "dispatched",
        public=False,
    ),
    R(
        LPG,
        "SAMSAT",
        "Samsat keliling tidak datang",
        "Jadwal Samsat keliling tidak ditepati.",
        "18.71.05.1002",
        None,
        "verification",
    ),
    R(
        LPG,
        "SEKOLAH",
        "Informasi kuota PPDB SMA",
        "Mohon informasi kuota zonasi SMA negeri.",
        "18.71.02.1003",
        None,
        "received",
        public=False,
    ),
)


def _jpeg(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return SimpleUploadedFile("sesudah.jpg", out.getvalue(), content_type="image/jpeg")


def _officer(local: str) -> User:
    return User.objects.get(email=f"{local}@demo.loket.id")


def _village(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:  # the bundled list may skip a village: take the first of its kecamatan
        region = Region.objects.filter(
            code__startswith=code[:8], level=Region.Level.VILLAGE
        ).first()
    if region is None:
        region = Region.objects.filter(
            code__startswith="18.71.", level=Region.Level.VILLAGE
        ).first()
    assert region is not None
    return region


def _install_categories(government: Government, slug: str) -> dict[str, Category]:
    made: dict[str, Category] = {}
    for order, (code, name, parent, after, description, keywords) in enumerate(TREE[slug]):
        made[code] = Category.objects.create(
            government=government,
            parent=made.get(parent),
            name=name,
            service_code=f"{PREFIX[slug]}-{code}",
            description=description,
            keywords=keywords,
            requires_after_photo=after,
            order=order,
            attributes=[
                {
                    "code": "UKURAN",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "description": "Ukuran kerusakan",
                    "values": [
                        {"key": "kecil", "name": "Kecil"},
                        {"key": "sedang", "name": "Sedang"},
                        {"key": "besar", "name": "Besar"},
                    ],
                }
            ]
            if code == "JALAN"
            else [],
            report_classes=["informasi"] if code == "SEKOLAH" else [],
        )
    return made


# The officers who act for each government: coordinator, and (liaison, handler) per agency.
COORDINATOR = {BDL: "koordinator.bdl", LPG: "koordinator.prov", LPU: "koordinator.lu"}
HANDLERS = {
    (BDL, "pupr"): ("penghubung.pupr", "petugas.pupr"),
    (BDL, "dlh"): ("penghubung.dlh", "petugas.dlh"),
    (LPG, "bmbk"): ("penghubung.bmbk", "penghubung.bmbk"),
}
ORDER = (
    "received",
    "verification",
    "dispatched",
    "in_progress",
    "waiting",
    "resolved",
    "closed",
    "reopened",
)


def _drive(
    complaint: Complaint, spec: Report, agency: Agency | None, survivor: Complaint | None
) -> None:
    coordinator = _officer(COORDINATOR[spec.gov])
    if spec.state == "received":
        return
    services.complaint_verify(complaint=complaint, actor=coordinator)
    if spec.state == "rejected":
        services.complaint_reject(
            complaint=complaint,
            actor=coordinator,
            reason="Penertiban PKL sudah dijadwalkan dalam operasi rutin Satpol PP.",
        )
        return
    if spec.state == "merged" and survivor is not None:
        services.complaint_merge(complaint=complaint, into=survivor, actor=coordinator)
        return
    if spec.state == "verification" or agency is None:
        return
    services.complaint_dispatch(complaint=complaint, actor=coordinator, agency=agency)
    people = HANDLERS.get((spec.gov, agency.slug))
    if spec.state == "dispatched" or people is None:
        return
    liaison, handler = _officer(people[0]), _officer(people[1])
    if liaison.pk != handler.pk:
        services.complaint_assign(complaint=complaint, actor=liaison, handler=handler)
    services.complaint_start_work(
        complaint=complaint,
        actor=handler,
        estimate_date=timezone.localdate() + timedelta(days=14),
        note="Tim sudah meninjau lokasi; perbaikan dijadwalkan.",
    )
    if spec.state == "in_progress":
        return
    if spec.state == "waiting":
        services.complaint_ask_reporter(
            complaint=complaint, actor=handler, question="Mohon kirim patokan yang lebih jelas."
        )
        return
    services.complaint_resolve(
        complaint=complaint,
        actor=handler,
        answer="Perbaikan selesai dikerjakan.",
        after_photos=[_jpeg((120, 120, 120))] if complaint.category.requires_after_photo else [],
    )
    user = _reporter(spec)
    if spec.state in ("closed", "reopened"):
        services.complaint_confirm(
            complaint=complaint, user=user, rating=5 if spec.state == "closed" else 2
        )
    if spec.state == "reopened":
        services.complaint_reopen(complaint=complaint, user=user, reason="Jalan rusak lagi.")


def _reporter(spec: Report) -> User:
    return User.objects.get(email=f"{spec.citizen}@demo.loket.id")


def demo_complaints_installed() -> bool:
    return Category.objects.filter(service_code="BDL-JALAN").exists()


@transaction.atomic
def install_demo_complaints() -> bool:
    """Install the demo complaint data once (after the demo governments). False when it was
    already there or the demo governments are missing."""
    if demo_complaints_installed():
        return False
    governments = {g.slug: g for g in Government.objects.filter(slug__in=list(TREE))}
    if set(governments) != set(TREE):
        return False
    categories = {slug: _install_categories(gov, slug) for slug, gov in governments.items()}
    agencies = {(a.government.slug, a.slug): a for a in Agency.objects.select_related("government")}
    for slug, code, prefix, agency_slug in ROUTES:
        agency = agencies.get((slug, agency_slug))
        if agency is not None:
            RoutingRule.objects.create(
                government=governments[slug],
                category=categories[slug].get(code) if code else None,
                region_prefix=prefix,
                agency=agency,
            )
    now = timezone.now()
    survivor: Complaint | None = None
    for n, spec in enumerate(REPORTS):
        category = categories[spec.gov][spec.category]
        result = services.complaint_submit(
            government=governments[spec.gov],
            category=category,
            report_class="informasi" if spec.category == "SEKOLAH" else "pengaduan",
            title=spec.title,
            description=spec.description,
            region=_village(spec.village),
            latitude=spec.pin[0] if spec.pin else None,
            longitude=spec.pin[1] if spec.pin else None,
            landmark=spec.landmark,
            visibility="public" if spec.public else "confidential",
            identity="anonymous" if spec.anonymous else "shown",
            reporter=_reporter(spec),
            now=now - timedelta(days=len(REPORTS) - n, hours=n % 7),
        )
        from loket.complaints.selectors import route_for

        match = route_for(
            government=governments[spec.gov], category=category, region=result.complaint.region
        )
        _drive(result.complaint, spec, match.agency if match else None, survivor)
        if survivor is None and spec.state == "closed":
            survivor = result.complaint
    return True
