from django.apps import AppConfig


class FloorAppConfig(AppConfig):
    name = "bench.floorapp"
    label = "benchfloor"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from loket.core.tasks import recover_stale_tasks_job, register_periodic

        every = getattr(settings, "BENCH_STALE_RECOVERY_EVERY", None)
        if every is not None:
            # Same job, shorter period: the worker-killed fault should not wait 5 minutes.
            register_periodic("core.recover_stale_tasks", every, recover_stale_tasks_job)
