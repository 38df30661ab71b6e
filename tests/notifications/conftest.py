from __future__ import annotations

import pytest

from loket.notifications.fake_gateway import FakeGateway


@pytest.fixture
def gateway(settings):
    """The SMS and WhatsApp providers point at a local fake gateway."""
    fake = FakeGateway().start()
    settings.LOKET_SMS_PROVIDER = "http"
    settings.LOKET_SMS_URL = fake.url
    settings.LOKET_SMS_TOKEN = fake.token
    settings.LOKET_WHATSAPP_PROVIDER = "http"
    settings.LOKET_WHATSAPP_URL = fake.url
    settings.LOKET_WHATSAPP_TOKEN = fake.token
    settings.LOKET_PROVIDER_TIMEOUT = 5
    yield fake
    fake.stop()


@pytest.fixture
def make_user(db):
    from loket.accounts.models import User

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        n = counter["n"]
        defaults = {
            "email": f"warga{n}@example.test",
            "phone": f"+62812000000{n:02d}",
            "full_name": f"Warga {n}",
            "language": "id",
            "notify_email": True,
            "notify_sms": True,
            "notify_whatsapp": False,
        }
        defaults.update(fields)
        return User.objects.create_user(password="x" * 16, **defaults)

    return make
