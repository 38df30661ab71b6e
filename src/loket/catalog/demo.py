"""The demo catalogue: realistic services of Lampung's governments. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from loket.catalog import services
from loket.catalog.models import AgencyPledge, Channel, Service, Theme
from loket.organizations.models import Agency, Government

BDL = "bandar-lampung"
LPU = "lampung-utara"
LPG = "lampung"

# Offices not in the base demo: kecamatan issue the village-level letters.
EXTRA_AGENCIES: tuple[tuple[str, str, str, str], ...] = (
    (
        BDL,
        "kecamatan-tanjung-karang-pusat",
        "Kec. Tanjung Karang Pusat",
        "Kecamatan Tanjung Karang Pusat",
    ),
    (LPU, "kecamatan-kotabumi", "Kec. Kotabumi", "Kecamatan Kotabumi"),
)

ADMINDUK = (
    "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan sebagaimana diubah "
    "dengan Undang-Undang Nomor 24 Tahun 2013\n"
    "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran "
    "Penduduk dan Pencatatan Sipil\n"
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
)
ADMINDUK_FREE = (
    "Tidak dipungut biaya (Pasal 79A Undang-Undang Nomor 24 Tahun 2013: pengurusan dan "
    "penerbitan dokumen kependudukan tidak dipungut biaya)."
)
HEALTH_LAW = (
    "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan\n"
    "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko\n"
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
)
HKPD = (
    "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan "
    "Pemerintahan Daerah"
)
PDRD_BDL = (
    "Peraturan Daerah Kota Bandar Lampung tentang Pajak Daerah dan Retribusi Daerah "
    "(pelaksanaan UU 1/2022)"
)
PDRD_LPU = (
    "Peraturan Daerah Kabupaten Lampung Utara tentang Pajak Daerah dan Retribusi Daerah "
    "(pelaksanaan UU 1/2022)"
)
VILLAGE_LETTER_LAW = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah\n"
    "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan\n"
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
)
COMPLAINT_LAW = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n"
    "Peraturan Presiden Nomor 76 Tahun 2013 tentang Pengelolaan Pengaduan Pelayanan Publik\n"
    "Peraturan Menteri PANRB Nomor 62 Tahun 2018 tentang Pedoman Sistem Pengelolaan Pengaduan "
    "Pelayanan Publik Nasional"
)
PLEDGE = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan "
    "yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi "
    "sesuai peraturan perundang-undangan yang berlaku."
)


@dataclass(frozen=True)
class DemoService:
    government: str
    agency: str
    theme: str
    name: str
    summary: str
    channel: str
    days: int
    output: str
    legal_basis: str
    requirements: tuple[str, ...]
    procedure: tuple[str, ...]
    fee: int = 0
    fee_legal_basis: str = ""
    fee_note: str = "Tidak dipungut biaya."
    keywords: str = ""
    external_url: str = ""
    uses_queue: bool = False
    staff: int = 3
    time_limit_note: str = ""
    handles_complaints: bool = False


def _adminduk(
    gov: str,
    name: str,
    summary: str,
    days: int,
    output: str,
    requirements: tuple[str, ...],
    keywords: str = "",
) -> DemoService:
    return DemoService(
        gov,
        "disdukcapil",
        "dokumen-kependudukan",
        name,
        summary,
        Channel.BOTH,
        days,
        output,
        ADMINDUK,
        requirements,
        (
            "Pemohon mengisi formulir secara daring atau di loket Disdukcapil.",
            "Petugas memverifikasi data dan berkas persyaratan.",
            "Data direkam dan diperbarui dalam basis data kependudukan (SIAK).",
            "Dokumen dicetak, ditandatangani secara elektronik dan diserahkan kepada pemohon.",
        ),
        fee_note=ADMINDUK_FREE,
        keywords=keywords,
        staff=6,
    )


def _kecamatan(
    gov: str,
    agency: str,
    name: str,
    summary: str,
    output: str,
    requirements: tuple[str, ...],
    keywords: str = "",
) -> DemoService:
    return DemoService(
        gov,
        agency,
        "surat-keterangan",
        name,
        summary,
        Channel.BOTH,
        1,
        output,
        VILLAGE_LETTER_LAW,
        ("Surat pengantar RT/RW dan kelurahan", *requirements),
        (
            "Pemohon membawa surat pengantar RT/RW yang diketahui lurah atau mengajukan daring.",
            "Petugas kecamatan memeriksa berkas dan kebenaran data.",
            "Camat atau pejabat yang ditunjuk menandatangani surat.",
            "Surat diserahkan kepada pemohon.",
        ),
        keywords=keywords,
        staff=2,
    )


def _sip(gov: str, profession: str, council: str, keywords: str) -> DemoService:
    return DemoService(
        gov,
        "dpmptsp",
        "perizinan",
        f"Surat Izin Praktik (SIP) {profession}",
        f"Izin bagi {profession.lower()} untuk menjalankan praktik di fasilitas pelayanan "
        "kesehatan di wilayah daerah ini.",
        Channel.ONLINE,
        5,
        f"Surat Izin Praktik {profession}",
        HEALTH_LAW,
        (
            "Surat Tanda Registrasi (STR) yang masih berlaku",
            f"Rekomendasi dari {council} setempat",
            "Surat keterangan dari fasilitas pelayanan kesehatan tempat praktik",
            "Pas foto berwarna 4x6",
            "KTP-el",
        ),
        (
            "Pemohon mengajukan permohonan daring dan mengunggah persyaratan.",
            "Petugas DPMPTSP memverifikasi berkas; Dinas Kesehatan memberi pertimbangan teknis.",
            "Bila berkas lengkap dan benar, SIP ditandatangani secara elektronik.",
            "SIP dapat diunduh pemohon.",
        ),
        keywords=keywords,
    )


def _poli(gov: str, agency: str, hospital: str) -> DemoService:
    return DemoService(
        gov,
        agency,
        "kesehatan",
        f"Pendaftaran poliklinik daring {hospital}",
        "Daftar ke poliklinik rawat jalan dari rumah dan datang sesuai jadwal nomor antrean.",
        Channel.ONLINE,
        1,
        "Nomor antrean dan jadwal kunjungan poliklinik",
        "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan\n"
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        (
            "NIK atau nomor rekam medis",
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Surat rujukan dari FKTP bagi peserta JKN",
        ),
        (
            "Pasien memilih poliklinik, dokter dan tanggal kunjungan.",
            "Sistem memeriksa kuota dan memberikan nomor antrean.",
            "Pasien datang 30 menit sebelum jadwal dan melapor ke anjungan.",
            "Pasien dilayani di poliklinik sesuai nomor antrean.",
        ),
        fee_note="Pendaftaran tidak dipungut biaya; biaya pemeriksaan sesuai tarif rumah sakit "
        "atau ditanggung JKN.",
        keywords="rumah sakit rs dokter berobat antre antrian rawat jalan",
        uses_queue=True,
        staff=8,
    )


DEMO_SERVICES: tuple[DemoService, ...] = (
    # --- Dokumen kependudukan -----------------------------------------------------------
    _adminduk(
        BDL,
        "Penerbitan KTP-el",
        "Perekaman dan pencetakan KTP elektronik untuk "
        "penduduk yang berusia 17 tahun atau sudah/pernah kawin.",
        1,
        "KTP-el",
        (
            "Kartu Keluarga",
            "Sudah berusia 17 tahun atau sudah/pernah kawin",
            "KTP-el lama atau surat keterangan hilang dari kepolisian (untuk penggantian)",
        ),
        "ktp ektp e-ktp kartu tanda penduduk",
    ),
    _adminduk(
        BDL,
        "Penerbitan Kartu Keluarga",
        "Kartu Keluarga baru, perubahan data, penambahan atau pengurangan anggota keluarga.",
        1,
        "Kartu Keluarga (KK)",
        (
            "Kartu Keluarga lama",
            "Buku nikah/akta perkawinan atau akta cerai",
            "Surat keterangan pindah (bila pindah datang)",
        ),
        "kk kartu keluarga",
    ),
    _adminduk(
        BDL,
        "Penerbitan akta kelahiran",
        "Pencatatan kelahiran dan penerbitan akta kelahiran bagi anak yang lahir di wilayah kota.",
        1,
        "Kutipan akta kelahiran",
        (
            "Surat keterangan lahir dari rumah sakit, puskesmas, bidan atau kelurahan",
            "Kartu Keluarga",
            "Buku nikah/akta perkawinan orang tua atau SPTJM",
        ),
        "akte lahir bayi anak",
    ),
    _adminduk(
        BDL,
        "Penerbitan akta kematian",
        "Pencatatan kematian dan penerbitan akta kematian.",
        1,
        "Kutipan akta kematian",
        (
            "Surat keterangan kematian dari rumah sakit, puskesmas atau kelurahan",
            "Kartu Keluarga almarhum/almarhumah",
            "KTP-el pelapor",
        ),
        "akte meninggal wafat",
    ),
    _adminduk(
        BDL,
        "Surat keterangan pindah",
        "Surat keterangan pindah penduduk warga negara Indonesia ke luar kota.",
        1,
        "Surat Keterangan Pindah WNI (SKPWNI)",
        ("Kartu Keluarga", "KTP-el", "Alamat tujuan pindah yang lengkap"),
        "skpwni mutasi pindah domisili",
    ),
    _adminduk(
        LPU,
        "Penerbitan KTP-el",
        "Perekaman dan pencetakan KTP elektronik.",
        1,
        "KTP-el",
        ("Kartu Keluarga", "Sudah berusia 17 tahun atau sudah/pernah kawin"),
        "ktp ektp e-ktp",
    ),
    _adminduk(
        LPU,
        "Penerbitan Kartu Keluarga",
        "Kartu Keluarga baru atau perubahan data.",
        1,
        "Kartu Keluarga (KK)",
        ("Kartu Keluarga lama", "Buku nikah atau akta cerai"),
        "kk",
    ),
    _adminduk(
        LPU,
        "Penerbitan akta kelahiran",
        "Pencatatan kelahiran dan akta kelahiran.",
        1,
        "Kutipan akta kelahiran",
        ("Surat keterangan lahir", "Kartu Keluarga", "Buku nikah orang tua atau SPTJM"),
        "akte lahir",
    ),
    DemoService(
        BDL,
        "disdukcapil",
        "dokumen-kependudukan",
        "Legalisir dokumen kependudukan",
        "Pengesahan fotokopi akta dan Kartu Keluarga untuk keperluan sekolah, kerja atau "
        "pengadilan.",
        Channel.COUNTER,
        1,
        "Fotokopi dokumen yang dilegalisir",
        ADMINDUK,
        ("Dokumen asli", "Fotokopi dokumen yang akan dilegalisir"),
        (
            "Pemohon menyerahkan dokumen asli dan fotokopi di loket.",
            "Petugas mencocokkan fotokopi dengan dokumen asli dan data SIAK.",
            "Pejabat berwenang membubuhkan cap dan paraf legalisir.",
        ),
        fee_note=ADMINDUK_FREE,
        keywords="legalisasi cap pengesahan fotokopi",
        staff=2,
    ),
    # --- Surat keterangan kecamatan -------------------------------------------------------
    _kecamatan(
        BDL,
        "kecamatan-tanjung-karang-pusat",
        "Surat keterangan domisili",
        "Keterangan tempat tinggal bagi penduduk atau domisili usaha.",
        "Surat keterangan domisili",
        ("KTP-el", "Kartu Keluarga"),
        "skd tempat tinggal",
    ),
    _kecamatan(
        BDL,
        "kecamatan-tanjung-karang-pusat",
        "Surat keterangan tidak mampu (SKTM)",
        "Keterangan keluarga kurang mampu untuk keringanan biaya sekolah atau berobat.",
        "Surat keterangan tidak mampu",
        ("KTP-el", "Kartu Keluarga", "Surat pernyataan tidak mampu bermeterai"),
        "sktm miskin keringanan biaya",
    ),
    _kecamatan(
        BDL,
        "kecamatan-tanjung-karang-pusat",
        "Surat pengantar SKCK",
        "Pengantar untuk mengurus Surat Keterangan Catatan Kepolisian di Polsek/Polres.",
        "Surat pengantar SKCK",
        ("KTP-el", "Kartu Keluarga", "Pas foto 4x6 latar merah"),
        "skck polisi kelakuan baik catatan kepolisian",
    ),
    _kecamatan(
        BDL,
        "kecamatan-tanjung-karang-pusat",
        "Surat keterangan usaha (SKU)",
        "Keterangan memiliki usaha mikro untuk pengajuan kredit usaha rakyat (KUR).",
        "Surat keterangan usaha",
        ("KTP-el", "Kartu Keluarga", "Foto tempat usaha"),
        "sku umkm kur usaha mikro",
    ),
    _kecamatan(
        LPU,
        "kecamatan-kotabumi",
        "Surat keterangan domisili",
        "Keterangan tempat tinggal penduduk.",
        "Surat keterangan domisili",
        ("KTP-el", "Kartu Keluarga"),
        "skd",
    ),
    _kecamatan(
        LPU,
        "kecamatan-kotabumi",
        "Surat keterangan tidak mampu (SKTM)",
        "Keterangan keluarga kurang mampu.",
        "Surat keterangan tidak mampu",
        ("KTP-el", "Kartu Keluarga"),
        "sktm miskin",
    ),
    # --- Perizinan ------------------------------------------------------------------------
    DemoService(
        BDL,
        "dpmptsp",
        "perizinan",
        "Izin penyelenggaraan reklame",
        "Izin memasang reklame papan, baliho, billboard atau videotron di wilayah kota.",
        Channel.BOTH,
        5,
        "Surat izin penyelenggaraan reklame",
        f"{HKPD}\n{PDRD_BDL}\nPeraturan Wali Kota tentang Penyelenggaraan Reklame",
        (
            "KTP-el pemohon",
            "NIB atau akta perusahaan",
            "Desain dan ukuran reklame",
            "Foto dan titik lokasi pemasangan",
            "Surat persetujuan pemilik lahan/bangunan",
        ),
        (
            "Pemohon mengajukan permohonan dan mengunggah persyaratan.",
            "Tim teknis meninjau lokasi pemasangan.",
            "Bapenda menetapkan pajak reklame; pemohon membayar retribusi perizinan.",
            "Izin diterbitkan dan dapat diunduh.",
        ),
        fee=150000,
        fee_legal_basis=PDRD_BDL,
        fee_note="Rp 150.000 per permohonan, di luar pajak reklame yang dihitung dari nilai "
        "sewa reklame.",
        keywords="reklame baliho billboard spanduk papan nama iklan",
    ),
    _sip(BDL, "Dokter", "Ikatan Dokter Indonesia (IDI)", "sip dokter praktik"),
    _sip(BDL, "Bidan", "Ikatan Bidan Indonesia (IBI)", "sipb bidan praktik mandiri"),
    _sip(BDL, "Perawat", "Persatuan Perawat Nasional Indonesia (PPNI)", "sipp perawat"),
    DemoService(
        BDL,
        "dpmptsp",
        "perizinan",
        "Tanda Daftar Usaha Pariwisata (TDUP)",
        "Pendaftaran usaha pariwisata seperti hotel, rumah makan, biro perjalanan dan "
        "tempat hiburan.",
        Channel.ONLINE,
        3,
        "Tanda Daftar Usaha Pariwisata",
        "Undang-Undang Nomor 10 Tahun 2009 tentang Kepariwisataan\n"
        "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha "
        "Berbasis Risiko",
        (
            "NIB dari sistem OSS",
            "Akta pendirian usaha (bagi badan usaha)",
            "Surat pernyataan keabsahan dokumen",
        ),
        (
            "Pemohon memastikan NIB telah terbit di OSS.",
            "Pemohon mengajukan TDUP dan mengunggah persyaratan.",
            "Petugas memverifikasi dan menerbitkan TDUP.",
        ),
        keywords="tdup hotel restoran wisata pariwisata",
    ),
    DemoService(
        BDL,
        "dpmptsp",
        "perizinan",
        "Pendampingan pendaftaran NIB di OSS",
        "Petugas membantu pelaku usaha mendaftar Nomor Induk Berusaha di sistem OSS nasional. "
        "NIB diterbitkan oleh sistem OSS, bukan oleh Loket.",
        Channel.BOTH,
        1,
        "Nomor Induk Berusaha (NIB) terbit di OSS",
        "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha "
        "Berbasis Risiko",
        ("KTP-el dan NPWP", "Alamat email dan nomor ponsel aktif", "Data lokasi dan jenis usaha"),
        (
            "Pemohon datang ke loket pendampingan atau mengikuti panduan daring.",
            "Petugas membantu membuat akun dan mengisi data usaha di oss.go.id.",
            "NIB terbit di OSS dan dapat diunduh pelaku usaha.",
        ),
        keywords="nib oss izin usaha umkm perizinan berusaha",
        external_url="https://oss.go.id/",
    ),
    DemoService(
        LPU,
        "dpmptsp",
        "perizinan",
        "Izin penyelenggaraan reklame",
        "Izin memasang reklame di wilayah kabupaten.",
        Channel.COUNTER,
        5,
        "Surat izin penyelenggaraan reklame",
        f"{HKPD}\n{PDRD_LPU}",
        ("KTP-el pemohon", "Desain dan ukuran reklame", "Foto lokasi pemasangan"),
        (
            "Pemohon menyerahkan berkas di loket DPMPTSP.",
            "Tim teknis meninjau lokasi.",
            "Pemohon membayar retribusi.",
            "Izin diterbitkan.",
        ),
        fee=100000,
        fee_legal_basis=PDRD_LPU,
        fee_note="Rp 100.000 per permohonan, di luar pajak reklame.",
        keywords="reklame baliho spanduk iklan",
    ),
    _sip(LPU, "Dokter", "Ikatan Dokter Indonesia (IDI)", "sip dokter"),
    # --- Sosial -----------------------------------------------------------------------------
    DemoService(
        BDL,
        "dinsos",
        "sosial",
        "Pendaftaran Data Terpadu Kesejahteraan Sosial (DTKS)",
        "Usulan keluarga kurang mampu agar masuk DTKS sebagai dasar penerima bantuan sosial.",
        Channel.BOTH,
        14,
        "Status usulan DTKS",
        "Undang-Undang Nomor 13 Tahun 2011 tentang Penanganan Fakir Miskin\n"
        "Peraturan Menteri Sosial Nomor 3 Tahun 2021 tentang Pengelolaan DTKS",
        ("KTP-el", "Kartu Keluarga", "Foto kondisi rumah"),
        (
            "Warga mendaftar melalui kelurahan atau daring.",
            "Musyawarah kelurahan memverifikasi usulan.",
            "Dinas Sosial memvalidasi dan mengirim usulan ke Kementerian Sosial.",
            "Hasil penetapan dapat dicek pemohon.",
        ),
        keywords="dtks bansos bantuan sosial pkh bpnt miskin",
    ),
    DemoService(
        BDL,
        "dinsos",
        "sosial",
        "Perbaikan data DTKS",
        "Pembaruan data keluarga yang sudah terdaftar di DTKS (pindah, meninggal, berubah "
        "kondisi).",
        Channel.BOTH,
        14,
        "Data DTKS yang diperbarui",
        "Peraturan Menteri Sosial Nomor 3 Tahun 2021 tentang Pengelolaan DTKS",
        ("KTP-el", "Kartu Keluarga terbaru", "Dokumen pendukung perubahan"),
        (
            "Warga mengajukan perbaikan data.",
            "Petugas memverifikasi ke lapangan.",
            "Data diperbarui pada sistem DTKS.",
        ),
        keywords="dtks bansos update perbaikan data",
    ),
    DemoService(
        LPG,
        "dinsos",
        "sosial",
        "Rekomendasi izin pengumpulan uang atau barang",
        "Rekomendasi bagi organisasi yang akan menggalang donasi di lebih dari satu "
        "kabupaten/kota di Provinsi Lampung.",
        Channel.COUNTER,
        7,
        "Surat rekomendasi pengumpulan uang atau barang",
        "Undang-Undang Nomor 9 Tahun 1961 tentang Pengumpulan Uang atau Barang",
        (
            "Akta pendirian dan AD/ART organisasi",
            "Proposal penggalangan dana",
            "Rekening khusus penampungan donasi",
        ),
        (
            "Pemohon menyerahkan berkas.",
            "Tim memverifikasi organisasi dan proposal.",
            "Kepala Dinas menandatangani rekomendasi.",
        ),
        keywords="donasi galang dana pub rekomendasi",
    ),
    # --- Pajak ------------------------------------------------------------------------------
    DemoService(
        BDL,
        "bapenda",
        "pajak-retribusi",
        "Cek tagihan PBB-P2",
        "Periksa tagihan Pajak Bumi dan Bangunan Perdesaan dan Perkotaan serta kode bayarnya.",
        Channel.ONLINE,
        1,
        "Informasi tagihan dan kode bayar PBB-P2",
        f"{HKPD}\n{PDRD_BDL}",
        ("Nomor Objek Pajak (NOP)",),
        (
            "Masukkan NOP.",
            "Sistem menampilkan tagihan dan kode bayar.",
            "Bayar melalui bank atau kanal mitra.",
        ),
        keywords="pbb sppt pajak bumi bangunan nop tagihan",
    ),
    DemoService(
        BDL,
        "bapenda",
        "pajak-retribusi",
        "Validasi BPHTB",
        "Validasi Bea Perolehan Hak atas Tanah dan Bangunan sebelum akta jual beli ditandatangani.",
        Channel.BOTH,
        3,
        "Bukti validasi BPHTB",
        f"{HKPD}\n{PDRD_BDL}",
        ("SSPD BPHTB", "Fotokopi sertifikat tanah", "SPPT PBB tahun berjalan", "KTP-el para pihak"),
        (
            "PPAT mengajukan validasi.",
            "Petugas meneliti nilai perolehan.",
            "Wajib pajak membayar BPHTB.",
            "Bukti validasi diterbitkan.",
        ),
        keywords="bphtb jual beli tanah ppat notaris",
    ),
    DemoService(
        LPG,
        "bapenda",
        "pajak-retribusi",
        "Cek pajak kendaraan bermotor",
        "Periksa besaran Pajak Kendaraan Bermotor (PKB) dan masa berlakunya.",
        Channel.ONLINE,
        1,
        "Informasi PKB",
        HKPD,
        ("Nomor polisi kendaraan",),
        ("Masukkan nomor polisi.", "Sistem menampilkan PKB dan jatuh tempo."),
        keywords="pkb samsat pajak motor mobil stnk",
    ),
    # --- Kesehatan --------------------------------------------------------------------------
    _poli(LPG, "rsud-abdul-moeloek", "RSUD Dr. H. Abdul Moeloek"),
    _poli(BDL, "rsud-dadi-tjokrodipo", "RSUD A. Dadi Tjokrodipo"),
    _poli(LPU, "rsud-ryacudu", "RSUD H. M. Ryacudu"),
    # --- Lainnya -----------------------------------------------------------------------------
    DemoService(
        LPG,
        "disdikbud",
        "pendidikan",
        "Surat keterangan pengganti ijazah SMA/SMK",
        "Pengganti ijazah yang hilang atau rusak bagi lulusan SMA/SMK di Provinsi Lampung.",
        Channel.COUNTER,
        7,
        "Surat keterangan pengganti ijazah",
        "Peraturan Sekretaris Jenderal Kemendikbudristek tentang Ijazah",
        (
            "Surat keterangan hilang dari kepolisian",
            "Fotokopi ijazah (bila ada)",
            "Surat keterangan dari sekolah asal",
        ),
        (
            "Pemohon menyerahkan berkas.",
            "Petugas mencocokkan data dengan arsip sekolah.",
            "Kepala Dinas menandatangani surat keterangan.",
        ),
        keywords="ijazah hilang rusak legalisir sekolah",
    ),
    DemoService(
        BDL,
        "dlh",
        "lingkungan",
        "Pemeriksaan formulir UKL-UPL",
        "Pemeriksaan Upaya Pengelolaan dan Pemantauan Lingkungan Hidup untuk persetujuan "
        "lingkungan usaha.",
        Channel.BOTH,
        10,
        "Rekomendasi UKL-UPL",
        "Peraturan Pemerintah Nomor 22 Tahun 2021 tentang Penyelenggaraan Perlindungan dan "
        "Pengelolaan Lingkungan Hidup",
        ("NIB", "Formulir UKL-UPL", "Peta lokasi usaha"),
        (
            "Pemohon mengunggah formulir UKL-UPL.",
            "Tim memeriksa dokumen.",
            "Rekomendasi diterbitkan.",
        ),
        keywords="ukl upl amdal lingkungan rekomendasi",
    ),
    DemoService(
        BDL,
        "dishub",
        "perhubungan",
        "Pengujian berkala kendaraan bermotor (uji KIR)",
        "Pengujian laik jalan bagi mobil barang dan angkutan umum.",
        Channel.COUNTER,
        1,
        "Bukti lulus uji elektronik (BLUe)",
        f"Undang-Undang Nomor 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan\n{PDRD_BDL}",
        ("STNK", "Buku uji lama atau kartu BLUe", "KTP-el pemilik"),
        (
            "Pemohon mendaftar dan membayar retribusi.",
            "Kendaraan diuji di tempat pengujian.",
            "Kartu BLUe diterbitkan bila lulus.",
        ),
        fee=85000,
        fee_legal_basis=PDRD_BDL,
        fee_note="Retribusi pengujian kendaraan bermotor Rp 85.000 per kendaraan.",
        keywords="kir uji kendaraan angkot truk",
    ),
    DemoService(
        BDL,
        "setda",
        "administrasi-umum",
        "Rekomendasi izin penelitian",
        "Surat rekomendasi bagi mahasiswa atau peneliti yang meneliti di lingkungan "
        "Pemerintah Kota Bandar Lampung.",
        Channel.ONLINE,
        3,
        "Surat rekomendasi penelitian",
        "Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2018 tentang Penerbitan Surat "
        "Keterangan Penelitian",
        ("Surat pengantar dari perguruan tinggi", "Proposal penelitian", "KTP-el"),
        (
            "Pemohon mengajukan permohonan daring.",
            "Petugas memeriksa berkas.",
            "Rekomendasi ditandatangani secara elektronik.",
        ),
        keywords="riset penelitian skripsi mahasiswa rekomendasi",
    ),
)


def _complaint_handling(gov: str, agency: str, short_name: str) -> DemoService:
    """The agency's complaint-handling service: closed complaints are rated under it."""
    return DemoService(
        gov,
        agency,
        "administrasi-umum",
        f"Pengelolaan pengaduan {short_name}",
        f"Penanganan pengaduan, aspirasi dan permintaan informasi masyarakat yang disposisikan "
        f"kepada {short_name}, sampai pelapor menerima jawaban.",
        Channel.BOTH,
        60,
        "Jawaban dan tindak lanjut atas pengaduan",
        COMPLAINT_LAW,
        (
            "Uraian pengaduan yang jelas (apa, di mana, kapan)",
            "Foto atau bukti pendukung bila ada",
            "Email atau nomor ponsel untuk kabar perkembangan (identitas dapat dirahasiakan)",
        ),
        (
            "Warga menyampaikan pengaduan melalui menu Pengaduan di Loket atau di loket pengaduan.",
            "Koordinator memverifikasi dan mendisposisikan pengaduan kepada perangkat daerah.",
            "Petugas menindaklanjuti dan memberikan jawaban yang dapat dilihat pelapor.",
            "Pelapor mengonfirmasi penyelesaian atau membuka kembali pengaduan.",
        ),
        keywords="pengaduan aduan keluhan lapor aspirasi",
        staff=2,
        time_limit_note="Paling lama 60 hari sejak pengaduan diterima (Pasal 50 UU 25/2009); "
        "tindak lanjut awal paling lama 5 hari kerja sejak disposisi.",
        handles_complaints=True,
    )


# Every agency the demo complaints are routed to (loket.complaints.demo.ROUTES) has one.
COMPLAINT_SERVICES: tuple[DemoService, ...] = (
    _complaint_handling(BDL, "pupr", "Dinas PUPR"),
    _complaint_handling(BDL, "dishub", "Dishub"),
    _complaint_handling(BDL, "dlh", "DLH"),
    _complaint_handling(BDL, "satpol-pp", "Satpol PP"),
    _complaint_handling(BDL, "disdukcapil", "Disdukcapil"),
    _complaint_handling(BDL, "dinkes", "Dinas Kesehatan"),
    _complaint_handling(BDL, "dinsos", "Dinas Sosial"),
    _complaint_handling(BDL, "inspektorat", "Inspektorat"),
    _complaint_handling(LPG, "bmbk", "Dinas BMBK"),
    _complaint_handling(LPG, "rsud-abdul-moeloek", "RSUD Abdul Moeloek"),
    _complaint_handling(LPG, "disdikbud", "Disdikbud"),
    _complaint_handling(LPG, "bapenda", "Bapenda"),
    _complaint_handling(LPU, "pupr", "Dinas PUPR"),
)


def _common_components(spec: DemoService, agency: Agency) -> dict[str, str]:
    return {
        "time_limit_note": spec.time_limit_note
        or f"Paling lama {spec.days} hari kerja sejak berkas dinyatakan lengkap.",
        "fee_note": spec.fee_note,
        "output_note": "",
        "facilities": "Ruang tunggu, loket pelayanan, komputer dan printer, toilet, ruang "
        "laktasi, kursi roda dan jalur landai bagi penyandang disabilitas.",
        "staff_competence": "Aparatur yang memahami peraturan terkait, mampu mengoperasikan "
        "aplikasi layanan dan berkomunikasi dengan santun.",
        "internal_supervision": "Pengawasan berjenjang oleh atasan langsung dan Inspektorat.",
        "complaint_handling": f"Pengaduan, saran dan masukan disampaikan melalui menu Pengaduan "
        f"di Loket, SP4N-LAPOR! (lapor.go.id), kotak saran, atau langsung ke petugas pengaduan "
        f"{agency.name} pada jam kerja.",
        "staff_count": f"{spec.staff} orang",
        "service_guarantee": "Pelayanan diberikan sesuai standar ini; bila tidak, pemohon dapat "
        "mengadu dan pengaduan akan ditindaklanjuti.",
        "safety_guarantee": "Data pemohon dijaga kerahasiaannya dan produk layanan "
        "ditandatangani pejabat berwenang.",
        "performance_evaluation": "Survei kepuasan masyarakat setiap semester dan evaluasi "
        "kinerja pelaksana oleh pimpinan.",
    }


def _ensure_agencies(governments: dict[str, Government]) -> None:
    for gov_slug, slug, short, full in EXTRA_AGENCIES:
        Agency.objects.get_or_create(
            government=governments[gov_slug],
            slug=slug,
            defaults={"short_name": short, "name": full},
        )


@transaction.atomic
def install_demo_catalog() -> int:
    """Add the demo services (published; one complaint-handling service for each agency the
    demo complaints go to) and agency pledges. Returns how many services it created; a second
    run creates nothing. Does nothing without the demo governments."""
    governments = {g.slug: g for g in Government.objects.filter(slug__in=[BDL, LPU, LPG])}
    if len(governments) < 3:
        return 0
    _ensure_agencies(governments)
    agencies = {
        (a.government.slug, a.slug): a
        for a in Agency.objects.filter(government__in=governments.values()).select_related(
            "government"
        )
    }
    themes = {t.slug: t for t in Theme.objects.all()}
    created = 0
    for spec in (*DEMO_SERVICES, *COMPLAINT_SERVICES):
        agency = agencies[(spec.government, spec.agency)]
        slug = slugify(spec.name)
        if Service.objects.filter(government=agency.government, slug=slug).exists():
            continue
        data = services.ServiceInput(
            name=spec.name,
            summary=spec.summary,
            theme=themes[spec.theme],
            channel=spec.channel,
            fee=spec.fee,
            fee_legal_basis=spec.fee_legal_basis,
            time_limit_days=spec.days,
            output=spec.output,
            external_url=spec.external_url,
            uses_queue=spec.uses_queue,
            keywords=spec.keywords,
            legal_basis=spec.legal_basis,
            requirements="\n".join(spec.requirements),
            procedure="\n".join(spec.procedure),
            **_common_components(spec, agency),
        )
        service = services.service_create(actor=None, agency=agency, data=data)
        services.service_set_published(actor=None, service=service, published=True)
        if spec.handles_complaints:
            services.service_set_handles_complaints(actor=None, service=service)
        created += 1
        if not AgencyPledge.objects.filter(agency=agency).exists():
            services.agency_pledge_set(actor=None, agency=agency, text=PLEDGE)
    return created
