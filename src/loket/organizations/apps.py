from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "loket.organizations"
    label = "organizations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.core.refcache import cache_by
        from loket.organizations.models import Government, Region

        # Read on every filing; see loket.core.refcache.
        cache_by(Government, "slug")  # active governments only (api.selectors)
        cache_by(Region, "pk")
