"""Pages of the payments module: the bill and its receipt, the demo simulator, the cashier's
confirmation in the back office and the HTTP callback of a real provider.

Views parse and authorise only; every confirmation goes through ``services.payment_confirm``.
A bill the viewer may not see answers like a missing one (404).
"""

from __future__ import annotations

import logging
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from loket.backoffice.access import officer_required
from loket.core import permissions as perms
from loket.payments import selectors, services
from loket.payments.errors import PaymentError
from loket.payments.models import Bill
from loket.payments.providers import (
    CASHIER,
    SIMULATOR,
    CallbackFormatError,
    CallbackProvider,
    get_provider,
)

logger = logging.getLogger("loket.payments")
PAGE_SIZE = 30


def _simulator_enabled() -> bool:
    return bool(getattr(settings, "LOKET_PAYMENT_SIMULATOR", False))


def _visible_bill(request: HttpRequest, code: str) -> Bill:
    bill = selectors.bill_by_code(code=code)
    if bill is None or not selectors.can_view_bill(user=request.user, bill=bill):
        raise Http404
    return bill


@require_http_methods(["GET", "HEAD"])
def bill_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The bill: amount, code and due date while unpaid; the receipt once paid."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    bill = _visible_bill(request, code)
    response = render(
        request,
        "payments/bill.html",
        {
            "bill": bill,
            "amount": services.rupiah(bill.amount),
            "simulator": _simulator_enabled() and bill.is_payable,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def simulate(request: HttpRequest, code: str) -> HttpResponse:
    """ "Bayar (simulasi)": pays the bill through the simulator provider, for demos only."""
    if not _simulator_enabled():
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    bill = _visible_bill(request, code)
    if request.method == "POST":
        try:
            # One reference per bill: a double tap is the same payment, not a second one.
            services.payment_confirm(
                code=bill.code,
                amount=bill.amount,
                provider=SIMULATOR,
                reference=f"SIM-{bill.code}",
                actor=request.user,
            )
        except PaymentError as exc:
            return render(
                request,
                "payments/simulate.html",
                {"bill": bill, "amount": services.rupiah(bill.amount), "error": exc.message},
                status=exc.status,
            )
        messages.success(request, _("Pembayaran (simulasi) berhasil. Tagihan sudah lunas."))
        return redirect("payments:bill", code=bill.code)
    return render(
        request, "payments/simulate.html", {"bill": bill, "amount": services.rupiah(bill.amount)}
    )


def _scope(request: HttpRequest) -> perms.OfficerScope:
    return cast(perms.OfficerScope, request.officer_scope)  # type: ignore[attr-defined]


@officer_required
@require_http_methods(["GET", "HEAD"])
def cashier_list(request: HttpRequest) -> HttpResponse:
    """Bills of the officer's agencies, searchable by payment code."""
    scope = _scope(request)
    if not scope.has_capability(perms.PAYMENT_CONFIRM):
        raise Http404
    query = request.GET.get("kode", "")[:40]
    paginator = Paginator(selectors.bills_for_cashier(scope=scope, query=query), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("hal"))
    return render(request, "payments/cashier_list.html", {"page": page, "query": query})


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def cashier_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """A cashier records a payment received at the counter (amount and slip number)."""
    scope = _scope(request)
    bill = selectors.bill_by_code(code=code)
    if bill is None or not selectors.cashier_may_confirm(scope=scope, bill=bill):
        raise Http404
    context = {"bill": bill, "amount": services.rupiah(bill.amount), "error": ""}
    if request.method == "POST":
        raw_amount = request.POST.get("amount", "").strip().replace(".", "").replace(" ", "")
        reference = request.POST.get("reference", "")
        if not raw_amount.isdigit() or len(raw_amount) > 15:
            context["error"] = _("Jumlah diterima harus angka Rupiah tanpa desimal.")
            return render(request, "payments/cashier_confirm.html", context, status=400)
        try:
            result = services.payment_confirm(
                code=bill.code,
                amount=int(raw_amount),
                provider=CASHIER,
                reference=reference,
                actor=request.user,
            )
        except PaymentError as exc:
            context["error"] = exc.message
            return render(request, "payments/cashier_confirm.html", context, status=exc.status)
        if result.repeated:
            messages.info(request, _("Pembayaran ini sudah tercatat sebelumnya."))
        else:
            messages.success(request, _("Pembayaran tercatat. Kuitansi sudah dibuat."))
        return redirect("payments:bill", code=bill.code)
    return render(request, "payments/cashier_confirm.html", context)


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def callback(request: HttpRequest, provider: str) -> JsonResponse:
    """``POST /pembayaran/callback/<provider>/``: a provider reports a payment.

    Signature first (403 if wrong), then the body (400), then the service: 404 for an unknown
    bill, 400 for a wrong amount, 409 for a conflict, 200 for a recorded or repeated payment.
    """
    adapter = get_provider(provider)
    if not isinstance(adapter, CallbackProvider):
        return _json_error(404, "unknown_provider", _("Kanal pembayaran tidak dikenal."))
    body = request.body
    if not adapter.verify_signature(body=body, headers=request.headers):
        logger.warning("payment callback with a bad signature from provider %s", provider)
        return _json_error(403, "bad_signature", _("Tanda tangan permintaan tidak sah."))
    try:
        payment = adapter.parse_callback(body=body)
    except CallbackFormatError:
        return _json_error(400, "bad_request", _("Isi permintaan tidak sesuai format."))
    try:
        result = services.payment_confirm(
            code=payment.code,
            amount=payment.amount,
            provider=adapter.name,
            reference=payment.reference,
            actor=None,
        )
    except PaymentError as exc:
        return _json_error(exc.status, exc.code, exc.message)
    bill = result.bill
    return JsonResponse(
        {
            "status": bill.status,
            "payment_code": bill.code,
            "receipt_number": bill.receipt_number,
            "repeated": result.repeated,
        }
    )


__all__ = ["bill_detail", "callback", "cashier_confirm", "cashier_list", "simulate"]
