"""Text-message provider adapters (SMS, WhatsApp). Filled in by the notifications service."""

from __future__ import annotations


def send_sms_now(phone: str, text: str) -> str:
    raise NotImplementedError
