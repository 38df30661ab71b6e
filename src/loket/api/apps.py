from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "loket.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the OpenAPI descriptions of our authentication classes.
        from loket.api import schema  # noqa: F401
