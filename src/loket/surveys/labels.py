"""The questionnaire as respondents read it: one question and four answer labels per element,
worst (1) to best (4), following the standard SKM questionnaire (PermenPANRB 14/2017)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

QUESTIONS: dict[str, Promise] = {
    "U1": _("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?"),
    "U2": _("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
    "U3": _("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
    "U4": _("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
    "U5": _("Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?"),
    "U6": _("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    "U7": _("Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"),
    "U8": _("Bagaimana pendapat Anda tentang penanganan pengaduan, saran dan masukan?"),
    "U9": _("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
}  # fmt: skip

ANSWER_LABELS: dict[str, tuple[Promise, Promise, Promise, Promise]] = {
    "U1": (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    "U2": (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    "U3": (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    "U4": (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    "U5": (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    "U6": (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    "U7": (
        _("Tidak sopan dan ramah"),
        _("Kurang sopan dan ramah"),
        _("Sopan dan ramah"),
        _("Sangat sopan dan ramah"),
    ),
    "U8": (
        _("Tidak ada"),
        _("Ada tetapi tidak berfungsi"),
        _("Berfungsi kurang maksimal"),
        _("Dikelola dengan baik"),
    ),
    "U9": (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
}


def answer_choices(code: str) -> list[tuple[str, Promise]]:
    """Choices ``("1", label) … ("4", label)`` of one element, worst first."""
    return [(str(score), label) for score, label in enumerate(ANSWER_LABELS[code], start=1)]
