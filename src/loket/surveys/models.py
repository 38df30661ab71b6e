"""Satisfaction survey responses (SKM, PermenPANRB 14/2017).

One row per respondent. The nine answers live in columns named by element code (``u1`` …
``u9``) so the index is computed by the database with SUM/COUNT per column; an empty column
means the respondent skipped that element and is left out of that element's denominator.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loket.surveys.ikm import ELEMENT_NAMES, MAX_SCORE, MIN_SCORE


class Channel(models.TextChoices):
    INVITATION = "invitation", _("Undangan daring")
    KIOSK = "kiosk", _("Kios di loket")
    PAPER = "paper", _("Impor kuesioner kertas")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    SD = "sd", _("SD")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA")
    DIPLOMA = "diploma", _("D1/D2/D3/D4")
    S1 = "s1", _("S1")
    S2_PLUS = "s2_plus", _("S2 ke atas")


class Occupation(models.TextChoices):
    PNS = "pns", _("PNS")
    TNI = "tni", _("TNI")
    POLRI = "polri", _("POLRI")
    PRIVATE = "swasta", _("Swasta")
    ENTREPRENEUR = "wirausaha", _("Wirausaha")
    OTHER = "lainnya", _("Lainnya")


def _score_field(code: str) -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(
        f"{code} {ELEMENT_NAMES[code]}",
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)],
    )


class SurveyResponse(models.Model):
    """One respondent's answers about one service."""

    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="survey_responses"
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices)
    answered_on = models.DateField(_("tanggal pengisian"))
    u1 = _score_field("U1")
    u2 = _score_field("U2")
    u3 = _score_field("U3")
    u4 = _score_field("U4")
    u5 = _score_field("U5")
    u6 = _score_field("U6")
    u7 = _score_field("U7")
    u8 = _score_field("U8")
    u9 = _score_field("U9")
    age = models.PositiveSmallIntegerField(_("umur"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=10, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True
    )
    suggestion = models.TextField(_("saran"), blank=True)
    # The kiosk ticket or invitation token this answer redeems (namespaced by the service that
    # writes it); unique, so one ticket gives one response even after a double tap.
    ticket = models.CharField(_("tiket"), max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        ordering = ["-answered_on", "-id"]
        indexes = [
            models.Index(fields=["government", "answered_on"], name="survey_gov_period"),
            models.Index(fields=["agency", "answered_on"], name="survey_agency_period"),
            models.Index(fields=["service", "answered_on"], name="survey_service_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    *(
                        Q(**{f"u{i}__isnull": True})
                        | Q(**{f"u{i}__gte": MIN_SCORE, f"u{i}__lte": MAX_SCORE})
                        for i in range(1, 10)
                    )
                ),
                name="survey_scores_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.answered_on}"

    def scores(self) -> dict[str, int | None]:
        """The answers keyed by element code."""
        return {f"U{i}": getattr(self, f"u{i}") for i in range(1, 10)}


class KioskDevice(models.Model):
    """A counter tablet allowed to collect answers for one agency without anyone signing in.

    An officer creates it in the back office and sees its key once; only a SHA-256 hash of the
    key is stored (the key is 32 random bytes, so a plain hash cannot be reversed by guessing).
    The tablet opens the kiosk URL with ``?kunci=<key>`` once; the key then lives in a cookie.
    """

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="kiosk_devices"
    )
    name = models.CharField(_("nama perangkat"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("perangkat kios survei")
        verbose_name_plural = _("perangkat kios survei")
        ordering = ["agency_id", "name", "id"]

    def __str__(self) -> str:
        return self.name
