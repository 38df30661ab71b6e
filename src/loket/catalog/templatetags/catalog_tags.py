"""Template helpers of the catalogue: Rupiah amounts and line lists."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """``150000`` → ``"Rp 150.000"`` (Indonesian thousands separator, no decimals)."""
    amount = int(value or 0)
    return "Rp " + f"{amount:,}".replace(",", ".")


@register.filter
def fee_label(value: int | None) -> str:
    """ "Gratis" for a free service, the Rupiah amount otherwise."""
    return _("Gratis") if not value else rupiah(value)


@register.filter
def lines(value: str | None) -> list[str]:
    """Non-empty lines of a text, without list bullets."""
    return [ln.strip(" \t-•").strip() for ln in (value or "").splitlines() if ln.strip(" \t-•")]
