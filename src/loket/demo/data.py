"""What the demo installs: governments, agencies and one officer for every role."""

from __future__ import annotations

from dataclasses import dataclass

from loket.organizations.models import Role

DEMO_PASSWORD = "Loket-Demo-2026!"  # noqa: S105 - printed to the operator; demo only
# One TOTP secret shared by the demo officers, so that `loket demo-code` can show the code.
DEMO_TOTP_SECRET = "LOKETDEMOLAMPUNGDUARIBUDUAENAMAA"  # noqa: S105 - demo only
EMAIL_DOMAIN = "demo.loket.id"


@dataclass(frozen=True)
class GovernmentSpec:
    region_code: str
    name: str
    slug: str
    prefix: str
    agencies: tuple[tuple[str, str, str], ...]  # (slug, short name, full name)


PROVINCE = GovernmentSpec(
    "18",
    "Pemerintah Provinsi Lampung",
    "lampung",
    "LPG",
    (
        ("bmbk", "Dinas BMBK", "Dinas Bina Marga dan Bina Konstruksi"),
        ("dinkes", "Dinas Kesehatan", "Dinas Kesehatan"),
        ("disdikbud", "Disdikbud", "Dinas Pendidikan dan Kebudayaan"),
        ("dinsos", "Dinas Sosial", "Dinas Sosial"),
        ("dlh", "DLH", "Dinas Lingkungan Hidup"),
        ("dishub", "Dishub", "Dinas Perhubungan"),
        ("diskominfotik", "Diskominfotik", "Dinas Komunikasi, Informatika dan Statistik"),
        ("bapenda", "Bapenda", "Badan Pendapatan Daerah"),
        ("dpmptsp", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        ("inspektorat", "Inspektorat", "Inspektorat"),
        ("bappeda", "Bappeda", "Badan Perencanaan Pembangunan Daerah"),
        ("setda", "Setda", "Sekretariat Daerah"),
        ("rsud-abdul-moeloek", "RSUD Abdul Moeloek", "RSUD Dr. H. Abdul Moeloek"),
    ),
)

BANDAR_LAMPUNG = GovernmentSpec(
    "18.71",
    "Pemerintah Kota Bandar Lampung",
    "bandar-lampung",
    "BDL",
    (
        ("pupr", "Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
        ("dinkes", "Dinas Kesehatan", "Dinas Kesehatan"),
        ("disdukcapil", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("dpmptsp", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        ("dlh", "DLH", "Dinas Lingkungan Hidup"),
        ("dishub", "Dishub", "Dinas Perhubungan"),
        ("satpol-pp", "Satpol PP", "Satuan Polisi Pamong Praja"),
        ("dinsos", "Dinas Sosial", "Dinas Sosial"),
        ("bapenda", "Bapenda", "Badan Pendapatan Daerah"),
        ("diskominfo", "Diskominfo", "Dinas Komunikasi dan Informatika"),
        ("inspektorat", "Inspektorat", "Inspektorat"),
        ("setda", "Setda", "Sekretariat Daerah"),
        ("rsud-dadi-tjokrodipo", "RSUD A. Dadi Tjokrodipo", "RSUD A. Dadi Tjokrodipo"),
    ),
)

LAMPUNG_UTARA = GovernmentSpec(
    "18.03",
    "Pemerintah Kabupaten Lampung Utara",
    "lampung-utara",
    "LPU",
    (
        ("pupr", "Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
        ("dinkes", "Dinas Kesehatan", "Dinas Kesehatan"),
        ("disdukcapil", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("dpmptsp", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        ("dlh", "DLH", "Dinas Lingkungan Hidup"),
        ("satpol-pp", "Satpol PP", "Satuan Polisi Pamong Praja"),
        ("diskominfo", "Diskominfo", "Dinas Komunikasi dan Informatika"),
        ("setda", "Setda", "Sekretariat Daerah"),
        ("rsud-ryacudu", "RSUD Ryacudu", "RSUD H. M. Ryacudu Kotabumi"),
    ),
)

GOVERNMENTS = (PROVINCE, BANDAR_LAMPUNG, LAMPUNG_UTARA)


@dataclass(frozen=True)
class OfficerSpec:
    local_part: str
    name: str
    government: str
    agency: str
    role: str


OFFICERS = (
    OfficerSpec("admin", "Rina Kusumawati", "lampung", "diskominfotik", Role.PLATFORM_ADMIN),
    OfficerSpec("koordinator.prov", "Andi Saputra", "lampung", "diskominfotik", Role.COORDINATOR),
    OfficerSpec("pimpinan.prov", "Ir. Hendra Wijaya", "lampung", "setda", Role.LEADER),
    OfficerSpec("penghubung.bmbk", "Dewi Lestari", "lampung", "bmbk", Role.LIAISON),
    OfficerSpec(
        "koordinator.bdl", "Yusuf Pratama", "bandar-lampung", "diskominfo", Role.COORDINATOR
    ),
    OfficerSpec("penghubung.pupr", "Siti Rahmawati", "bandar-lampung", "pupr", Role.LIAISON),
    OfficerSpec("petugas.pupr", "Agus Setiawan", "bandar-lampung", "pupr", Role.HANDLER),
    OfficerSpec("kepala.pupr", "Bambang Hartono", "bandar-lampung", "pupr", Role.SUPERVISOR),
    OfficerSpec("penghubung.dlh", "Fitri Handayani", "bandar-lampung", "dlh", Role.LIAISON),
    OfficerSpec("petugas.dlh", "Rudi Hermawan", "bandar-lampung", "dlh", Role.HANDLER),
    OfficerSpec("ppid.bdl", "Nur Aini", "bandar-lampung", "diskominfo", Role.PPID_OFFICER),
    OfficerSpec(
        "atasan.ppid.bdl", "Drs. Made Suarta", "bandar-lampung", "diskominfo", Role.PPID_SUPERIOR
    ),
    OfficerSpec("loket.bdl", "Putri Anggraini", "bandar-lampung", "dpmptsp", Role.COUNTER_STAFF),
    OfficerSpec("pimpinan.bdl", "Hj. Eva Dwiana", "bandar-lampung", "setda", Role.LEADER),
    OfficerSpec(
        "koordinator.lu", "Iwan Kurniawan", "lampung-utara", "diskominfo", Role.COORDINATOR
    ),
    OfficerSpec("penghubung.pupr.lu", "Sri Wahyuni", "lampung-utara", "pupr", Role.LIAISON),
)

CITIZENS = (
    ("warga", "Budi Santoso"),
    ("warga2", "Ayu Wulandari"),
    ("warga3", "Joko Susilo"),
)


def officer_email(spec: OfficerSpec) -> str:
    return f"{spec.local_part}@{EMAIL_DOMAIN}"


def citizen_email(local_part: str) -> str:
    return f"{local_part}@{EMAIL_DOMAIN}"
