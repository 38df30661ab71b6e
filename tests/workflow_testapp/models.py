"""A ticket: the smallest model the workflow engine can drive (state, government, agency)."""

from __future__ import annotations

from django.db import models


class Ticket(models.Model):
    state = models.CharField(max_length=40, default="received")
    government = models.ForeignKey("organizations.Government", on_delete=models.PROTECT)
    agency = models.ForeignKey(
        "organizations.Agency", null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"TKT-{self.pk}"
