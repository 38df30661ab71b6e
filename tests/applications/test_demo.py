"""The demo: five online services with forms and workflows, applications in several states."""

from __future__ import annotations

import pytest

from loket.applications.demo import install_demo_applications
from loket.applications.models import Application, FormDefinition, WorkflowDefinition
from loket.demo.services import install_demo


@pytest.mark.django_db
def test_demo_installs_definitions_and_applications_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    install_demo()
    assert FormDefinition.objects.values("service").distinct().count() >= 5
    assert WorkflowDefinition.objects.values("service").distinct().count() >= 5
    states = set(Application.objects.values_list("state", flat=True))
    assert {"issued", "revision", "processing", "draft"} <= states
    counts = (FormDefinition.objects.count(), Application.objects.count())
    assert install_demo_applications() >= 5
    assert (FormDefinition.objects.count(), Application.objects.count()) == counts
