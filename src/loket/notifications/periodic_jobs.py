"""Periodic jobs of the notification service (discovered by loket.core.tasks)."""

from __future__ import annotations

from datetime import timedelta

from loket.core.tasks import register_periodic
from loket.notifications.tasks import send_new_deliveries

# Every minute: sends what a queueing missed (a run that was finishing as a delivery
# committed) and what a run that died had claimed, once that claim is stale.
register_periodic("notifications.send_new", timedelta(minutes=1), send_new_deliveries)
