from django.apps import AppConfig


class WorkflowTestAppConfig(AppConfig):
    """A concrete workflow subject for the engine's tests; installed only when TESTING."""

    name = "tests.workflow_testapp"
    label = "workflow_testapp"
    default_auto_field = "django.db.models.BigAutoField"
