"""Every visible string exists in English too, and the catalogue is in step with the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "loket"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(path: Path) -> list[dict[str, object]]:
    """A small PO reader: enough to see msgid, msgstr(s) and flags of each entry."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""

    def unquote(s: str) -> str:
        return s.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")

    def flush() -> None:
        if "msgid" in current:
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = ""
            continue
        if line.startswith("#,"):
            current["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue  # comments, references and obsolete (#~) entries
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[", "msgctxt ")):
            key, _, value = line.partition(" ")
            current[key] = unquote(value) if value.startswith('"') else ""
        elif line.startswith('"') and key:
            current[key] = str(current.get(key, "")) + unquote(line)
    flush()
    return entries


def _msgids(path: Path) -> set[str]:
    return {str(e["msgid"]) for e in _entries(path) if e["msgid"]}


def test_every_message_has_an_english_translation():
    missing, fuzzy = [], []
    for entry in _entries(PO):
        if not entry["msgid"]:
            continue
        if "fuzzy" in str(entry.get("flags", "")):
            fuzzy.append(entry["msgid"])
        translations = [v for k, v in entry.items() if str(k).startswith("msgstr")]
        if not translations or not all(translations):
            missing.append(entry["msgid"])
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_catalogue_is_up_to_date(tmp_path: Path):
    """Run makemessages on a copy of the code: no message may be missing from the catalogue."""
    copy = tmp_path / "loket"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--ignore",
            "*/migrations/*",
            "--ignore",
            "static/vendor/*",
            "-v",
            "0",
        ],
        cwd=copy,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        check=True,
        capture_output=True,
    )
    fresh = _msgids(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    stale = fresh - _msgids(PO)
    assert not stale, (
        f"{len(stale)} messages are not in the English catalogue (run makemessages -l en "
        f"in src/loket and translate them), e.g. {sorted(stale)[:5]}"
    )
