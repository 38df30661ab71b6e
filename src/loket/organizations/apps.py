from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "loket.organizations"
    label = "organizations"
    default_auto_field = "django.db.models.BigAutoField"
