"""Officer pages of complaints, mounted at ``kantor/pengaduan/``: the queues, one report with
its actions, the audited reveal of a reporter's identity and bulk dispatch.

The views parse and authorise only; every read goes through
:mod:`loket.complaints.selectors` and every write through :mod:`loket.complaints.services`.
Errors become answers as the module's README says: ``ValidationError`` 400 (the form again,
with the messages), ``NotPermitted`` 404 (missing and forbidden look the same),
``IllegalTransition`` 409, ``IdentityWithheld`` 403. Who reported is never read here except
through ``complaint_reveal_reporter``, on a POST, answered with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from loket.accounts.models import User
from loket.backoffice.access import officer_required
from loket.complaints import selectors, services
from loket.complaints.errors import IdentityWithheld
from loket.complaints.models import Category, Complaint, ComplaintMessage, Visibility
from loket.complaints.office_forms import (
    ACTION_FORMS,
    ActionForm,
    BulkDispatchForm,
    QueueFilterForm,
)
from loket.complaints.states import COMPLAINT, OPEN_STATES
from loket.core import permissions as perms
from loket.core.files import file_url
from loket.organizations.models import Agency, Government, Membership, Region
from loket.workflow.errors import IllegalTransition, NotPermitted, WorkflowError

app_name = "complaints_office"

PAGE_SIZE = 25

QUEUE_TABS: list[tuple[str, Any]] = [
    ("to_verify", gettext_lazy("Perlu diverifikasi")),
    ("to_dispatch", gettext_lazy("Perlu didisposisi")),
    ("agency", gettext_lazy("Laporan OPD saya")),
    ("mine", gettext_lazy("Ditugaskan kepada saya")),
    ("waiting", gettext_lazy("Menunggu pelapor")),
    ("at_risk", gettext_lazy("Hampir jatuh tempo")),
    ("overdue", gettext_lazy("Lewat tenggat")),
    ("all", gettext_lazy("Semua")),
]

# Officer actions that are transitions of the state table (the others are plain services).
TRANSITION_ACTIONS = (
    "verify",
    "reject",
    "dispatch",
    "redirect",
    "forward",
    "merge",
    "decline",
    "start_work",
    "ask_reporter",
    "resume",
    "resolve",
)
ASSIGNABLE_STATES = ("dispatched", "in_progress", "waiting", "reopened")
RECATEGORIZABLE_STATES = ("received", "verification", "dispatched")
# Agency roles whose members may handle a report (complaint.handle).
HANDLER_ROLES = tuple(
    role
    for role, caps in perms.ROLE_CAPABILITIES.items()
    if perms.COMPLAINT_HANDLE in caps and role not in perms.GOVERNMENT_WIDE_ROLES
)
# What each action says when it worked.
DONE: dict[str, Any] = {
    "verify": gettext_lazy("Verifikasi dimulai."),
    "reject": gettext_lazy("Laporan ditolak."),
    "dispatch": gettext_lazy("Laporan didisposisikan."),
    "redirect": gettext_lazy("Laporan dialihkan ke perangkat daerah lain."),
    "forward": gettext_lazy("Laporan diteruskan ke pemerintah daerah lain."),
    "recategorize": gettext_lazy("Kategori diubah."),
    "merge": gettext_lazy("Laporan digabungkan."),
    "restrict": gettext_lazy("Privasi laporan diperketat."),
    "decline": gettext_lazy("Laporan dikembalikan ke verifikator."),
    "assign": gettext_lazy("Petugas ditugaskan."),
    "start_work": gettext_lazy("Tindak lanjut dimulai."),
    "ask_reporter": gettext_lazy("Pertanyaan dikirim; tenggat dijeda."),
    "resume": gettext_lazy("Tindak lanjut dilanjutkan."),
    "resolve": gettext_lazy("Laporan selesai ditindaklanjuti."),
    "note": gettext_lazy("Catatan tersimpan."),
    "message": gettext_lazy("Pesan terkirim."),
}


# --- helpers --------------------------------------------------------------------------------------
def _scope(request: HttpRequest) -> perms.OfficerScope:
    return cast(perms.OfficerScope, request.officer_scope)  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    try:
        return selectors.complaint_for_officer(officer=_user(request), complaint_id=pk)
    except NotPermitted:
        raise Http404 from None


def _reader_only(request: HttpRequest) -> perms.OfficerScope:
    scope = _scope(request)
    if not scope.has_capability(perms.COMPLAINT_READ):
        raise Http404
    return scope


def _governments(scope: perms.OfficerScope) -> list[Government]:
    governments = Government.objects.filter(is_active=True).select_related("region")
    if not scope.is_superuser:
        governments = governments.filter(pk__in=scope.government_ids)
    return list(governments.order_by("name"))


def _state_label(code: str) -> str:
    return str(COMPLAINT.state(code).label)


def _error_page(
    request: HttpRequest, message: str, status: int, complaint: Complaint | None = None
) -> HttpResponse:
    template = "errors/fragment.html" if _is_htmx(request) else "complaints/office/error.html"
    context = {"error": WorkflowError(message), "status": status, "complaint": complaint}
    return render(request, template, context, status=status)


# --- queue ----------------------------------------------------------------------------------------
def _tabs(scope: perms.OfficerScope) -> list[tuple[str, Any]]:
    triage = scope.has_capability(perms.COMPLAINT_TRIAGE)
    agency_reader = scope.is_superuser or any(
        g.role not in perms.GOVERNMENT_WIDE_ROLES
        and perms.COMPLAINT_READ in perms.ROLE_CAPABILITIES.get(g.role, frozenset())
        for g in scope.grants
    )
    shown = {
        "to_verify": triage,
        "to_dispatch": triage,
        "agency": agency_reader,
        "mine": scope.has_capability(perms.COMPLAINT_HANDLE),
    }
    return [(code, label) for code, label in QUEUE_TABS if shown.get(code, True)]


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    state_label: str
    deadline: Any
    overdue: bool
    at_risk: bool
    escalation_level: int
    selectable: bool


def _queue_rows(rows: list[Complaint], now: Any, can_triage: bool) -> list[QueueRow]:
    # The report's own clock columns answer both badges: no query per row, none per page.
    result = []
    for c in rows:
        deadline = c.sla_deadline
        overdue = bool(deadline and deadline < now)
        result.append(
            QueueRow(
                complaint=c,
                state_label=_state_label(c.state),
                deadline=deadline,
                overdue=overdue,
                at_risk=bool(
                    not overdue and c.sla_at_risk_at is not None and c.sla_at_risk_at <= now
                ),
                escalation_level=c.sla_escalation_level,
                selectable=can_triage and c.state == "verification",
            )
        )
    return result


def _queue_options(
    scope: perms.OfficerScope,
) -> tuple[list[Category], list[tuple[str, str]], list[Agency] | None, list[Agency]]:
    governments = _governments(scope)
    categories: list[Category] = []
    for government in governments:
        categories += selectors.categories_for(government=government)
    regions = [
        (r.code, r.name)
        for r in Region.objects.filter(
            level=Region.Level.DISTRICT, parent_id__in=[g.region_id for g in governments]
        ).order_by("name")
    ]
    triage_ids = scope.government_ids_for(perms.COMPLAINT_TRIAGE)
    dispatchable: list[Agency] = []
    if scope.is_superuser or triage_ids:
        agencies_qs = Agency.objects.filter(is_active=True).order_by("name")
        if not scope.is_superuser:
            agencies_qs = agencies_qs.filter(government_id__in=triage_ids)
        dispatchable = list(agencies_qs)
    agency_filter = dispatchable if (scope.is_superuser or triage_ids) else None
    return categories, regions, agency_filter, dispatchable


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("hal", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    """The report queues of the officer's roles, with filters, search and pagination."""
    scope = _reader_only(request)
    tabs = _tabs(scope)
    codes = [code for code, _label in tabs]
    tab = request.GET.get("antrean", "")
    if tab not in codes:
        tab = codes[0]
    categories, regions, agency_filter, dispatchable = _queue_options(scope)
    form = QueueFilterForm(
        request.GET, categories=categories, regions=regions, agencies=agency_filter
    )
    now = timezone.now()
    status = 200
    rows: list[QueueRow] = []
    page = None
    can_triage = scope.has_capability(perms.COMPLAINT_TRIAGE)
    if form.is_valid():
        page = selectors.officer_queue(
            officer=_user(request),
            queue=tab,
            filters=form.filters(),
            page=_page_number(request),
            page_size=PAGE_SIZE,
            now=now,
        )
        rows = _queue_rows(page.items, now, can_triage)
    else:
        status = 400
    context = {
        "tabs": tabs,
        "tab": tab,
        "form": form,
        "query": form.query_without_page(),
        "rows": rows,
        "page": page,
        "can_bulk": can_triage and any(r.selectable for r in rows),
        "dispatch_agencies": dispatchable,
        "now": now,
    }
    template = (
        "complaints/office/_queue_results.html"
        if _is_htmx(request)
        else "complaints/office/queue.html"
    )
    return render(request, template, context, status=status)


@require_POST
@officer_required
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch the chosen reports at once (coordinators); a summary per number."""
    scope = _scope(request)
    if not scope.has_capability(perms.COMPLAINT_TRIAGE):
        raise Http404
    _categories, _regions, _filter, agencies = _queue_options(scope)
    form = BulkDispatchForm(request.POST, agencies=agencies)
    if not form.is_valid():
        return render(request, "complaints/office/bulk_result.html", {"form": form}, status=400)
    result = services.complaint_bulk_dispatch(
        complaint_ids=form.cleaned_data["ids"], actor=_user(request), agency=form.target()
    )
    return render(
        request,
        "complaints/office/bulk_result.html",
        {"form": form, "result": result, "failed": sorted(result.failed.items())},
    )


# --- one report -----------------------------------------------------------------------------------
def _can(scope: perms.OfficerScope, capability: str, complaint: Complaint) -> bool:
    return scope.can(
        capability, government_id=complaint.government_id, agency_id=complaint.agency_id
    )


def officer_actions(
    scope: perms.OfficerScope, complaint: Complaint, allowed: list[str]
) -> list[str]:
    """The actions this officer may take on the report now (forms shown on the page)."""
    actions = []
    for name in TRANSITION_ACTIONS:
        transition = COMPLAINT.transition(name)
        if (
            transition is not None
            and name in allowed
            and _can(scope, transition.capability, complaint)
        ):
            actions.append(name)
    triage = _can(scope, perms.COMPLAINT_TRIAGE, complaint)
    if triage and complaint.state in RECATEGORIZABLE_STATES:
        actions.append("recategorize")
    if triage and (complaint.is_public or not complaint.is_anonymous):
        actions.append("restrict")
    if _can(scope, perms.COMPLAINT_ASSIGN, complaint) and complaint.state in ASSIGNABLE_STATES:
        actions.append("assign")
    if triage or _can(scope, perms.COMPLAINT_HANDLE, complaint):
        actions += ["note", "message"]
    return actions


def _handlers(complaint: Complaint) -> list[User]:
    if complaint.agency_id is None:
        return []
    user_ids = Membership.objects.filter(
        agency_id=complaint.agency_id, role__in=HANDLER_ROLES, is_active=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk"))


def _options(complaint: Complaint, actions: list[str]) -> dict[str, Any]:
    """Choices of the action forms, loaded only for the actions shown."""
    options: dict[str, Any] = {
        "agencies": [],
        "governments": [],
        "foreign_categories": [],
        "categories": [],
        "handlers": [],
    }
    if "dispatch" in actions or "redirect" in actions:
        agencies = Agency.objects.filter(government_id=complaint.government_id, is_active=True)
        if "redirect" in actions and complaint.agency_id:
            agencies = agencies.exclude(pk=complaint.agency_id)
        options["agencies"] = list(agencies.order_by("name"))
    if "forward" in actions:
        governments = list(
            Government.objects.filter(is_active=True)
            .exclude(pk=complaint.government_id)
            .order_by("name")
        )
        options["governments"] = governments
        options["foreign_categories"] = list(
            Category.objects.filter(
                government_id__in=[g.pk for g in governments], is_active=True
            ).order_by("government_id", "order", "name")
        )
    if "recategorize" in actions:
        options["categories"] = [
            c
            for c in selectors.categories_for(government=complaint.government)
            if c.pk != complaint.category_id
        ]
    if "assign" in actions:
        options["handlers"] = [u for u in _handlers(complaint) if u.pk != complaint.handler_id]
    return options


def _message_rows(complaint: Complaint) -> list[dict[str, Any]]:
    rows = []
    for message in selectors.complaint_messages(complaint=complaint):
        to_reporter = message.direction == ComplaintMessage.Direction.TO_REPORTER
        rows.append(
            {
                "to_reporter": to_reporter,
                # The reporter's own messages carry no author: "Pelapor" is all anyone sees.
                "author": str(message.author) if to_reporter and message.author_id else "",
                "body": message.body,
                "at": message.created_at,
            }
        )
    return rows


def _clock_rows(complaint: Complaint, now: Any) -> list[dict[str, Any]]:
    rows = []
    for timer in selectors.running_timers(complaint):
        stage = COMPLAINT.stage(timer.stage)
        rows.append(
            {
                "label": str(stage.label) if stage else timer.stage,
                "deadline": timer.deadline,
                "paused": timer.paused_at is not None,
                "overdue": bool(timer.deadline and timer.deadline < now),
                "at_risk": bool(
                    timer.at_risk_at
                    and timer.at_risk_at <= now
                    and timer.deadline
                    and timer.deadline >= now
                ),
                "escalation_level": timer.escalation_level,
                "budget": timer.budget_working_days,
            }
        )
    return rows


def _photo_rows(complaint: Complaint) -> list[dict[str, Any]]:
    return [
        {
            "kind": photo.kind,
            "url": file_url(photo.file),
            "thumbnail_url": file_url(photo.file, thumbnail=True),
        }
        for photo in complaint.photos.all()
    ]


def _map_url(complaint: Complaint) -> str:
    if complaint.latitude is None or complaint.longitude is None:
        return ""
    lat, lng = complaint.latitude, complaint.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=18/{lat}/{lng}"


def _detail_context(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: ActionForm | None = None,
    bound_action: str = "",
    alert: str = "",
) -> dict[str, Any]:
    scope = _scope(request)
    officer = _user(request)
    view = selectors.officer_view(complaint)
    actions = officer_actions(scope, complaint, view["allowed_actions"])
    options = _options(complaint, actions)
    forms: dict[str, ActionForm] = {}
    for name in actions:
        if name == bound_action and bound is not None:
            forms[name] = bound
        else:
            forms[name] = ACTION_FORMS[name](options=options)
    now = timezone.now()
    duplicates = []
    if complaint.state in OPEN_STATES:
        duplicates = [
            {
                "complaint": other,
                "distance": round(metres),
                "state_label": _state_label(other.state),
            }
            for other, metres in selectors.officer_duplicate_candidates(
                officer=officer, complaint=complaint
            )
        ]
    return {
        "complaint": complaint,
        "view": view,
        "state_label": view["state_label"],
        "public_label": COMPLAINT.public_label(complaint.state),
        "is_confidential": complaint.visibility == Visibility.CONFIDENTIAL,
        "photos": _photo_rows(complaint),
        "clocks": _clock_rows(complaint, now),
        "timeline": selectors.officer_timeline(officer=officer, complaint=complaint),
        "messages_thread": _message_rows(complaint),
        "duplicates": duplicates,
        "actions": actions,
        "forms": forms,
        "action_items": [
            (name, _action_label(name), forms[name])
            for name in actions
            if name not in ("note", "message")
        ],
        "bound_action": bound_action,
        "can_reveal": view["reporter"]["identity_revealable"]
        and _can(scope, perms.REPORTER_IDENTITY_VIEW, complaint),
        "requires_after_photo": complaint.category.requires_after_photo,
        "map_url": _map_url(complaint),
        "alert": alert,
        "now": now,
    }


@officer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report: text, photos, place, privacy, clocks, timeline, messages, duplicates and
    the forms of the actions the officer may take now."""
    _reader_only(request)
    complaint = _complaint(request, pk)
    return render(request, "complaints/office/detail.html", _detail_context(request, complaint))


def _run(request: HttpRequest, complaint: Complaint, action: str, form: ActionForm) -> None:
    """Call the service of ``action`` with the form's clean data."""
    officer = _user(request)
    data = form.cleaned_data
    common: dict[str, Any] = {"complaint": complaint, "actor": officer}
    if action == "verify":
        services.complaint_verify(**common, note=data["note"])
    elif action == "reject":
        services.complaint_reject(**common, reason=data["reason"])
    elif action == "dispatch":
        services.complaint_dispatch(**common, agency=form.chosen_agency(), note=data["note"])  # type: ignore[attr-defined]
    elif action == "redirect":
        services.complaint_redirect(**common, agency=form.chosen_agency(), note=data["note"])  # type: ignore[attr-defined]
    elif action == "forward":
        services.complaint_forward(
            **common,
            to_government=form.chosen_government(),  # type: ignore[attr-defined]
            reason=data["reason"],
            category=form.chosen_category(),  # type: ignore[attr-defined]
        )
    elif action == "recategorize":
        services.complaint_recategorize(**common, category=form.chosen_category())  # type: ignore[attr-defined]
    elif action == "merge":
        number = data["into"].strip().upper()
        into = selectors.officer_complaints(officer=officer).filter(tracking_number=number).first()
        if into is None:
            raise ValidationError({"into": _("Nomor laporan tidak ditemukan.")})
        services.complaint_merge(**common, into=into, note=data["note"])
    elif action == "restrict":
        services.complaint_restrict(
            complaint=complaint,
            actor=officer,
            make_confidential=data["make_confidential"],
            make_anonymous=data["make_anonymous"],
        )
    elif action == "decline":
        services.complaint_decline(**common, reason=data["reason"])
    elif action == "assign":
        services.complaint_assign(**common, handler=form.chosen_handler())  # type: ignore[attr-defined]
    elif action == "start_work":
        services.complaint_start_work(
            **common, estimate_date=data["estimate_date"], note=data["note"]
        )
    elif action == "ask_reporter":
        services.complaint_ask_reporter(**common, question=data["question"])
    elif action == "resume":
        services.complaint_resume(**common, note=data["note"])
    elif action == "resolve":
        services.complaint_resolve(
            **common, answer=data["answer"], after_photos=request.FILES.getlist("after_photos")
        )
    elif action == "note":
        services.complaint_add_note(**common, body=data["body"], public=data["public"])
    elif action == "message":
        services.complaint_message_reporter(**common, body=data["body"])
    else:  # pragma: no cover - ACTION_FORMS and this switch list the same names
        raise Http404


def _attach_errors(form: ActionForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.message_dict.items():
            target = field_name if field_name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _partial(
    request: HttpRequest, complaint: Complaint, action: str, form: ActionForm | None, status: int
) -> HttpResponse:
    """htmx answers for the conversation and the notes: the refreshed section."""
    context = _detail_context(request, complaint, bound=form, bound_action=action if form else "")
    template = (
        "complaints/office/_messages.html"
        if action == "message"
        else "complaints/office/_notes.html"
    )
    return render(request, template, context, status=status)


@require_POST
@officer_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on a report. Bad input: the page again with the messages (400), nothing
    saved; not allowed now: 409; not the officer's report: 404."""
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    _reader_only(request)
    complaint = _complaint(request, pk)
    form = form_class(request.POST, request.FILES, options=_options(complaint, [action]))
    htmx_section = _is_htmx(request) and action in ("message", "note")
    status = 400
    if form.is_valid():
        try:
            _run(request, complaint, action, form)
        except ValidationError as exc:
            _attach_errors(form, exc)
        except NotPermitted:
            raise Http404 from None
        except IllegalTransition as exc:
            return _conflict(request, complaint, exc.message)
        else:
            if htmx_section:
                fresh = _complaint(request, pk)
                return _partial(request, fresh, action, None, 200)
            messages.success(request, str(DONE[action]))
            if not _still_readable(request, complaint.pk):
                # Declined, redirected or forwarded out of the officer's reach.
                return redirect("complaints_office:queue")
            return redirect("complaints_office:detail", pk=complaint.pk)
    if htmx_section:
        return _partial(request, complaint, action, form, status)
    context = _detail_context(request, complaint, bound=form, bound_action=action)
    context["alert"] = _("Periksa isian formulir „%(action)s”.") % {"action": _action_label(action)}
    return render(request, "complaints/office/detail.html", context, status=status)


def _still_readable(request: HttpRequest, pk: int) -> bool:
    try:
        selectors.complaint_for_officer(officer=_user(request), complaint_id=pk)
    except NotPermitted:
        return False
    return True


def _action_label(action: str) -> str:
    transition = COMPLAINT.transition(action)
    if transition is not None:
        return str(transition.label)
    return str(OTHER_ACTION_LABELS.get(action, action))


OTHER_ACTION_LABELS: dict[str, Any] = {
    "recategorize": gettext_lazy("Ubah kategori"),
    "restrict": gettext_lazy("Perketat privasi"),
    "assign": gettext_lazy("Tugaskan petugas"),
    "note": gettext_lazy("Tanggapan atau catatan internal"),
    "message": gettext_lazy("Pesan ke pelapor"),
}


def _conflict(request: HttpRequest, complaint: Complaint, message: str) -> HttpResponse:
    if _is_htmx(request):
        return _error_page(request, message, 409, complaint)
    fresh = _complaint(request, complaint.pk)
    context = _detail_context(request, fresh, alert=message)
    return render(request, "complaints/office/detail.html", context, status=409)


@require_POST
@officer_required
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show who reported, once, on this answer only (audited by the service; never cached).
    Anonymous reports: 403, whoever asks."""
    _reader_only(request)
    complaint = _complaint(request, pk)
    try:
        identity = services.complaint_reveal_reporter(complaint=complaint, actor=_user(request))
    except NotPermitted:
        raise Http404 from None
    except IdentityWithheld as exc:
        response = _error_page(request, exc.message, 403, complaint)
        add_never_cache_headers(response)
        return response
    template = (
        "complaints/office/_identity.html"
        if _is_htmx(request)
        else "complaints/office/identity.html"
    )
    response = render(request, template, {"complaint": complaint, "identity": identity})
    add_never_cache_headers(response)
    return response


urlpatterns = [
    path("", queue, name="queue"),
    path("disposisi-massal/", bulk_dispatch, name="bulk_dispatch"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/identitas/", reveal, name="reveal"),
    path("<int:pk>/aksi/<slug:action>/", act, name="act"),
]
