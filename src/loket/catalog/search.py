"""Indonesian search text for the service catalogue: normalisation and a small stemmer.

Citizens type "Pendaftaran KTP-el", "daftar ktp", "perizinan reklame" or "izin reklame" and
expect the same services. Every word is lowercased, stripped of accents and punctuation, and
reduced to its root by removing the common Indonesian affixes. A service stores the stems of
its name, summary, keywords, output, theme and agency in one column (``Service.search_text``),
written on every edit; a query matches when every one of its stems starts a word there.

The stemmer follows the usual confix-stripping idea (particle, possessive and derivational
suffixes, then up to three prefixes with their sound changes) and prefers any decomposition
that lands on a known root of the public-service vocabulary (:data:`ROOTS`). Unknown words get
the plain greedy decomposition, which is good enough because the index and the query are
stemmed by the same function.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Roots of the public-service vocabulary. A decomposition that ends on one of these wins over
# the greedy one, which keeps words such as "perawat" (pe-rawat, not per-awat) right.
_ROOT_WORDS = """
    adu ajar aju akta aktif alih ambil antar antre arsip bangun bantu baru bayar beri bersih
    bidan bina buat bumi camat cari catat cek cetak daerah daftar dagang didik dinas dokter
    domisili duduk edar gedung guna hasil hubung hutan ikat informasi izin jalan jamin kawin
    kelola keluarga kendara kerja kirim klinik kota kuasa lahir laku lampir lapor layan
    legalisasi legalisir lingkung lulus lurah makam mampu mati milik minta miskin modal
    mohon nikah nilai nomor obat olah pajak pakai panjang pantau pasar periksa pertama
    pindah pinjam poli praktik pulih rawat reklame rekomendasi rumah rusak sah sakit salin
    salur sedia sehat sejahtera sekolah selamat serah sewa sosial susun tagih tanah tanam
    tanda tangan tani tempat terang terbit tetap tinggal tolak tugas tunda ubah ukur umum
    urus usaha usul verifikasi wajib warga waris wisata
"""
ROOTS: frozenset[str] = frozenset(_ROOT_WORDS.split())

# Words the rules get wrong and the lexicon alone cannot fix.
IRREGULAR: dict[str, str] = {
    "belajar": "ajar",
    "pelajar": "ajar",
    "pelajaran": "ajar",
    "bekerja": "kerja",
    "pekerja": "kerja",
    "pekerjaan": "kerja",
    "mempunyai": "punya",
    "ketenagakerjaan": "tenagakerja",
    "penduduk": "duduk",
    "perizinan": "izin",
}

# Words too common to narrow a search.
_STOP_WORDS = "dan atau yang di ke dari untuk pada dengan oleh bagi dalam ini itu se"
STOPWORDS: frozenset[str] = frozenset(_STOP_WORDS.split())

_VOWELS = "aeiou"
_MIN_ROOT = 4  # shorter leftovers of unknown words are not trusted as roots
_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lowercase ASCII, punctuation turned into spaces: ``"KTP-el (Baru)"`` → ``"ktp el baru"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(_TOKEN_SPLIT.split(plain)).strip()


def tokens(text: str) -> list[str]:
    """The words of ``text`` after :func:`normalize`."""
    return [t for t in normalize(text).split(" ") if t]


def _suffix_variants(word: str) -> list[str]:
    """``word`` with zero or more suffixes removed, the least stripped first."""
    out = [word]
    bases = [word]
    # "-an" before "-kan": "kependuduk-an" is right far more often than "kependudu-kan", and
    # the lexicon check catches "menerbit-kan" on the next variant.
    for group in (_PARTICLES, _POSSESSIVES, ("an", "kan", "i")):
        new_bases: list[str] = []
        for base in bases:
            for suffix in group:
                if not base.endswith(suffix) or len(base) - len(suffix) < 3:
                    continue
                # "-i" after "s" belongs to the root (domisili, informasi, ...).
                if suffix == "i" and base.endswith("si"):
                    continue
                stripped = base[: -len(suffix)]
                new_bases.append(stripped)
                out.append(stripped)
        bases += new_bases
    return out


def _prefix_variants(word: str) -> list[str]:
    """Every reading of ``word`` with one prefix removed; the most likely reading first."""
    out: list[str] = []

    def add(value: str) -> None:
        if len(value) >= 3 and value not in out:
            out.append(value)

    for head in ("me", "pe"):
        if not word.startswith(head):
            continue
        rest = word[2:]
        if rest.startswith("ng"):
            tail = rest[2:]
            if tail[:1] in _VOWELS:
                add(tail)  # meng-urus → urus
                add("k" + tail)  # peng-irim → kirim
            else:
                add(tail)  # peng-gunaan → guna…
        elif rest.startswith("ny"):
            add("s" + rest[2:])  # peny-usun → susun
        elif rest.startswith("m"):
            tail = rest[1:]
            if tail[:1] in _VOWELS:
                add("p" + tail)  # mem-ukul → pukul
                add(rest)  # pe-makam → makam
            else:
                add(tail)  # pem-buat → buat
        elif rest.startswith("n"):
            tail = rest[1:]
            if tail[:1] in _VOWELS:
                add("t" + tail)  # pen-erbit → terbit
                add(rest)  # pe-nilai → nilai
            else:
                add(tail)  # pen-daftar → daftar
        else:
            if head == "pe" and rest.startswith("r"):
                add(rest[1:])  # per-izin → izin
            add(rest)  # pe-rawat, pe-layan, me-lapor
    for prefix in ("ber", "ter"):
        if word.startswith(prefix):
            add(word[3:])
    for prefix in ("di", "ke", "se"):
        if word.startswith(prefix):
            add(word[2:])
    if word.startswith("be"):
        add(word[2:])  # be-kerja
    return out


def _greedy(word: str) -> str:
    """The most likely decomposition of a word outside the lexicon."""
    stem = word
    for group in (_PARTICLES, _POSSESSIVES, _DERIVATIONAL):
        for suffix in group:
            if suffix == "i" and stem.endswith("si"):
                continue
            if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_ROOT:
                stem = stem[: -len(suffix)]
                break
    variants = _prefix_variants(stem)
    if variants and len(variants[0]) >= _MIN_ROOT:
        first = stem
        stem = variants[0]
        # A second prefix only where Indonesian stacks them: ke-pen-, mem-per-, di-per-, ...
        if first.startswith(("ke", "me", "di", "ber", "ter")) and stem.startswith(("pe", "be")):
            again = _prefix_variants(stem)
            if again and len(again[0]) >= _MIN_ROOT:
                stem = again[0]
    return stem


def stem(word: str) -> str:
    """The root of one normalised Indonesian word (``"pendaftaran"`` → ``"daftar"``)."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha() or word in ROOTS:
        return word
    for base in _suffix_variants(word):
        if base in ROOTS:
            return base
        level = [base]
        for _ in range(3):
            level = [v for w in level for v in _prefix_variants(w)]
            for candidate in level:
                if candidate in ROOTS:
                    return candidate
                if candidate in IRREGULAR:
                    return IRREGULAR[candidate]
    return _greedy(word)


def stems(text: str) -> list[str]:
    """Distinct stems of the meaningful words of ``text``, in order of first appearance."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token in STOPWORDS:
            continue
        seen.setdefault(stem(token), None)
    return list(seen)


def build_search_text(parts: Iterable[str]) -> str:
    """The stored search column: stems separated by spaces, with a space at both ends so that
    ``" " + stem`` matches the start of a word."""
    all_stems = stems(" ".join(parts))
    return f" {' '.join(all_stems)} " if all_stems else ""
