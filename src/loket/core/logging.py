"""Log filter that adds the request id and removes personal data from every log line."""

from __future__ import annotations

import logging
import re

from loket.core import context

# A NIK is 16 digits; phone numbers are 9-15 digits with an optional +; emails are obvious.
_PATTERNS = [
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[NIK]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
    (re.compile(r"(?<![\w])\+?(?:62|0)8\d{7,12}(?!\d)"), "[PHONE]"),
    (re.compile(r"(password|passwd|sandi|token|api_key)=\S+", re.I), r"\1=[SECRET]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.current().request_id or "-"
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the log line
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
