"""The timeline of every workflow subject and its SLA timers, shared by every module.

Subjects are referenced generically (content type + id as text) with the government kept as
a real foreign key, so every row can be scoped to its tenant without a join.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from loket.core.calendar import SlaClock, WorkingCalendar


class WorkflowEvent(models.Model):
    """One step in the life of a subject: who moved it from which state to which, and why.

    ``is_public``: the step shows on the public timeline. ``note_is_public``: its note is a
    public answer; otherwise the note is an internal one, shown to officers only.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="+"
    )
    workflow = models.CharField(_("alur kerja"), max_length=60)
    transition = models.CharField(_("tindakan"), max_length=60)
    from_state = models.CharField(_("dari status"), max_length=40)
    to_state = models.CharField(_("ke status"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(_("peran"), max_length=40, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    is_public = models.BooleanField(_("tampil untuk publik"), default=False)
    note_is_public = models.BooleanField(_("catatan untuk publik"), default=False)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("riwayat alur kerja")
        verbose_name_plural = _("riwayat alur kerja")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "created_at"], name="wf_event_timeline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workflow}.{self.transition} {self.from_state}→{self.to_state}"

    @property
    def public_note(self) -> str:
        """The note as the public may see it: empty unless it was written as a public answer."""
        return self.note if self.note_is_public else ""


# Subjects that declare these three columns get them kept equal to their running clocks by
# the engine, so their queues filter and sort on an index of their own table instead of a
# subquery per row:
#   sla_deadline = DateTimeField(null=True)      earliest deadline of a running, unpaused clock
#   sla_at_risk_at = DateTimeField(null=True)    earliest "at most one working day left" moment
#   sla_escalation_level = PositiveSmallIntegerField(default=0)   highest level reached
DEADLINE_FIELD = "sla_deadline"
AT_RISK_FIELD = "sla_at_risk_at"
LEVEL_FIELD = "sla_escalation_level"
CLOCK_FIELDS = (DEADLINE_FIELD, AT_RISK_FIELD, LEVEL_FIELD)


def keeps_clock_columns(model: type[models.Model]) -> bool:
    """Does ``model`` carry the denormalised clock columns (see ``CLOCK_FIELDS``)?"""
    try:
        for name in CLOCK_FIELDS:
            model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class SlaTimer(models.Model):
    """One working-day clock of one stage of one subject.

    The clock itself is :class:`loket.core.calendar.SlaClock`; this row stores its parts
    (start, budget, pauses) and denormalises what queues and the sweep search on:
    ``deadline`` (null while paused), ``at_risk_at`` (when at most one working day is left)
    and ``next_escalation_at``. A stage has at most one running (not stopped) timer per
    subject; restarting a stage stops the old row and keeps it as history.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="+"
    )
    workflow = models.CharField(_("alur kerja"), max_length=60)
    stage = models.CharField(_("tahap"), max_length=60)
    started_at = models.DateTimeField(_("mulai"))
    budget_working_days = models.PositiveIntegerField(_("batas hari kerja"))
    pauses = models.JSONField(_("jeda"), default=list, blank=True)
    deadline = models.DateTimeField(_("tenggat"), null=True, blank=True)
    at_risk_at = models.DateTimeField(_("mulai rawan"), null=True, blank=True)
    paused_at = models.DateTimeField(_("dijeda sejak"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("berhenti"), null=True, blank=True)
    breached_at = models.DateTimeField(_("melewati tenggat"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)
    last_escalated_at = models.DateTimeField(_("eskalasi terakhir"), null=True, blank=True)
    next_escalation_at = models.DateTimeField(_("eskalasi berikutnya"), null=True, blank=True)

    class Meta:
        verbose_name = _("tenggat layanan")
        verbose_name_plural = _("tenggat layanan")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "stage"],
                condition=Q(stopped_at__isnull=True),
                name="wf_timer_one_running_stage",
            )
        ]
        # Partial indexes (PostgreSQL and SQLite both support them) hold only running timers,
        # so the sweep and the queues stay small range scans however many finished timers
        # accumulate.
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="wf_timer_subject"),
            # The sweep: running, not yet breached, deadline passed.
            models.Index(
                fields=["deadline"],
                condition=Q(
                    stopped_at__isnull=True, breached_at__isnull=True, deadline__isnull=False
                ),
                name="wf_timer_due",
            ),
            # "Overdue" queues: running with deadline < now, breached or not.
            models.Index(
                fields=["subject_type", "deadline"],
                condition=Q(stopped_at__isnull=True, deadline__isnull=False),
                name="wf_timer_running_deadline",
            ),
            # "At risk" queues: at_risk_at <= now <= deadline, not breached.
            models.Index(
                fields=["subject_type", "at_risk_at"],
                condition=Q(
                    stopped_at__isnull=True, breached_at__isnull=True, at_risk_at__isnull=False
                ),
                name="wf_timer_at_risk",
            ),
            # The sweep's escalation step.
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(stopped_at__isnull=True, next_escalation_at__isnull=False),
                name="wf_timer_escalation_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workflow}.{self.stage} {self.subject_type_id}:{self.subject_id}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None

    @property
    def is_paused(self) -> bool:
        return self.stopped_at is None and self.paused_at is not None

    def clock(self, calendar: WorkingCalendar) -> SlaClock:
        """The stored clock, rebuilt with the government's calendar."""
        from loket.core.calendar import SlaClock

        return SlaClock.from_json(
            {
                "started_at": self.started_at.isoformat(),
                "budget_working_days": self.budget_working_days,
                "pauses": self.pauses,
            },
            calendar=calendar,
        )
