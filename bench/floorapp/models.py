from django.db import models
from django.utils import timezone


class FloorRow(models.Model):
    """One row per request of the write floor: the least a Django view that writes can do."""

    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
