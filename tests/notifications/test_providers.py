"""Provider adapters: the console outbox, the HTTP gateway protocol and email."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from loket.notifications.providers import (
    ProviderError,
    send_email_now,
    send_sms_now,
    send_text,
)


def test_console_provider_appends_json_lines(settings, tmp_path):
    settings.LOKET_SMS_PROVIDER = "console"
    settings.LOKET_WHATSAPP_PROVIDER = "console"
    settings.LOKET_OUTBOX_DIR = tmp_path / "outbox"
    first = send_sms_now("+6281234567890", "Kode verifikasi Loket Anda: 111111")
    second = send_text("whatsapp", "+6281234567890", "Halo")
    sms_lines = (tmp_path / "outbox" / "sms.jsonl").read_text().splitlines()
    wa_lines = (tmp_path / "outbox" / "whatsapp.jsonl").read_text().splitlines()
    assert len(sms_lines) == 1
    assert len(wa_lines) == 1
    sms = json.loads(sms_lines[0])
    assert sms["id"] == first
    assert sms["to"] == "+6281234567890"
    assert sms["channel"] == "sms"
    assert "111111" in sms["text"]
    assert json.loads(wa_lines[0])["id"] == second != first


def test_send_sms_now_uses_the_http_gateway_when_configured(gateway):
    message_id = send_sms_now("+6281234567890", "Kode: 222222")
    assert message_id == "fake-1"
    assert gateway.messages[0].to == "+6281234567890"
    assert gateway.messages[0].channel == "sms"
    assert gateway.messages[0].idempotency_key  # always sent


def test_http_gateway_errors_raise_provider_error_without_the_number(gateway, settings):
    settings.LOKET_SMS_TOKEN = "wrong"
    with pytest.raises(ProviderError) as refused:
        send_sms_now("+6281234567890", "x")
    assert "HTTP 401" in str(refused.value)
    assert "6281234567890" not in str(refused.value)

    settings.LOKET_SMS_TOKEN = gateway.token
    gateway.fail_next = 1
    with pytest.raises(ProviderError, match="HTTP 500"):
        send_sms_now("+6281234567890", "x")

    gateway.go_down()
    with pytest.raises(ProviderError, match="unreachable"):
        send_sms_now("+6281234567890", "x")

    settings.LOKET_SMS_URL = ""
    with pytest.raises(ProviderError, match="not configured"):
        send_sms_now("+6281234567890", "x")

    settings.LOKET_SMS_PROVIDER = "carrier-pigeon"
    with pytest.raises(ProviderError, match="unknown provider"):
        send_sms_now("+6281234567890", "x")
    assert gateway.messages == []


def test_http_gateway_answer_without_id_is_an_error(settings):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class NoId(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b'{"status": "queued"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), NoId)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        settings.LOKET_SMS_PROVIDER = "http"
        settings.LOKET_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/"
        with pytest.raises(ProviderError, match="no message id"):
            send_sms_now("+6281234567890", "x")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_email_goes_through_the_default_mailer():
    message_id = send_email_now("warga@example.test", "Judul", "Isi")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Judul"
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id


def test_embedded_mode_writes_email_files_into_the_data_dir(tmp_path):
    """Without SMTP and outside tests, MAILERS points the file backend at the data dir."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOKET_", "DJANGO_"))}
    env.update({"LOKET_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "loket.settings"})
    code = "from django.conf import settings; import json; print(json.dumps(settings.MAILERS))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    mailer = json.loads(out)["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert mailer["OPTIONS"]["file_path"] == str(tmp_path / "outbox" / "email")
