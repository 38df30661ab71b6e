"""Citizen and public pages of complaints: the report form, the tracking page, "my reports"
(and the same for a guest through the private link), the public list, map and report pages.

Views parse and authorise; the services in :mod:`loket.complaints.services` write and the
selectors in :mod:`loket.complaints.selectors` decide what is public. Errors map as the
module's README says: ``ValidationError`` → 400 with the messages next to the fields,
``IllegalTransition`` → 409 with the message in place, ``NotPermitted`` → 404 (through
DomainErrorMiddleware), someone else's or a confidential report → the same 404 as a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.accounts.models import User
from loket.complaints import selectors, services
from loket.complaints import survey as complaint_survey
from loket.complaints.models import (
    Complaint,
    ComplaintFollower,
    ComplaintPhoto,
    ReportClass,
)
from loket.complaints.photos import MAX_PHOTOS, store_photo
from loket.complaints.portal import forms
from loket.complaints.states import COMPLAINT, PUBLIC_LISTED_STATES
from loket.core.files import file_url
from loket.core.idempotency import IdempotencyConflict
from loket.core.models import StoredFile
from loket.organizations import selectors as regions
from loket.organizations.models import Government, Region
from loket.workflow.errors import IllegalTransition
from loket.workflow.selectors import timeline as workflow_timeline

SESSION_PHOTOS = "complaints.photo_ids"  # photos uploaded in this session, not yet filed
SESSION_SUBMITTED = "complaints.submitted"  # number → guest token still to show once
SESSION_GUEST = "complaints.guest_tokens"  # number → guest token (from the private link)
MAX_SESSION_PHOTOS = 20
LIST_PAGE_SIZE = 20


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if user.is_authenticated else None


def _governments() -> list[Government]:
    """Active governments that take reports (they have at least one active category)."""
    return list(
        Government.objects.filter(is_active=True, complaint_categories__is_active=True)
        .select_related("region")
        .distinct()
        .order_by("name")
    )


# --- report form ----------------------------------------------------------------------------------
def _session_photo_ids(request: HttpRequest) -> list[str]:
    value = request.session.get(SESSION_PHOTOS, [])
    return [str(v) for v in value] if isinstance(value, list) else []


def _remember_photo(request: HttpRequest, file_id: str) -> None:
    ids = [i for i in _session_photo_ids(request) if i != file_id] + [file_id]
    request.session[SESSION_PHOTOS] = ids[-MAX_SESSION_PHOTOS:]


def _valid_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _pick_government(
    request: HttpRequest, governments: list[Government]
) -> tuple[Government | None, bool]:
    """The government the form is for, and whether the chosen slug was unknown."""
    slug = (request.POST.get("pemda") or request.GET.get("pemda") or "").strip()
    if slug:
        for government in governments:
            if government.slug == slug:
                return government, False
        return None, True
    if len(governments) == 1:
        return governments[0], False
    return None, False


def _region_choices(government: Government, inp: forms.ReportInput) -> dict[str, Any]:
    """Options of the three cascading selects (kab/kota → kecamatan → desa/kelurahan), from
    what the form sent; a village alone fills the levels above it."""
    root = government.region
    if inp.village and not inp.district:
        inp.district = inp.village.rsplit(".", 1)[0]
    if inp.district and not inp.regency:
        inp.regency = ".".join(inp.district.split(".")[:2])
    if root.level == Region.Level.REGENCY:
        regencies = [root]
        inp.regency = root.code
    else:
        regencies = list(regions.region_children(root.code))
    inside = inp.regency == root.code or inp.regency.startswith(root.code + ".")
    districts = list(regions.region_children(inp.regency)) if inp.regency and inside else []
    villages: list[Region] = []
    if inp.district and inp.district.startswith(inp.regency + "."):
        villages = list(regions.region_children(inp.district))
    return {"regencies": regencies, "districts": districts, "villages": villages}


def _photo_rows(request: HttpRequest, ids: list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    files = {str(f.pk): f for f in StoredFile.objects.filter(pk__in=ids)}
    signed_in = request.user.is_authenticated
    rows = []
    for n, file_id in enumerate(ids, start=1):
        stored = files.get(file_id)
        if stored is None:
            continue
        rows.append(
            {
                "id": file_id,
                "n": n,
                "name": stored.original_name or _("Foto %(n)s") % {"n": n},
                "thumbnail_url": file_url(stored, thumbnail=True) if signed_in else "",
            }
        )
    return rows


def _form_context(
    request: HttpRequest,
    government: Government,
    governments: list[Government],
    inp: forms.ReportInput,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    categories = forms.category_options(selectors.categories_for(government=government))
    category_id = inp.category_id()
    pin = inp.pin()
    duplicates: list[dict[str, Any]] = []
    if category_id is not None and pin is not None:
        duplicates = selectors.duplicate_candidates(
            category_id=category_id, latitude=pin[0], longitude=pin[1]
        )
    photo_pin = forms.parse_photo_pin(inp.photo_pin) if inp.photo_pin else None
    return {
        "government": government,
        "governments": governments,
        "inp": inp,
        "errors": errors,
        "summary": forms.error_summary(errors),
        "categories": categories,
        "report_classes": ReportClass.choices,
        "regions": _region_choices(government, inp),
        "photos": _photo_rows(request, inp.photo_ids),
        "can_add_photos": len(inp.photo_ids) < MAX_PHOTOS,
        "max_photos": MAX_PHOTOS,
        "max_description": forms.MAX_DESCRIPTION,
        "photo_pin": photo_pin if photo_pin is not None and pin is None else None,
        "duplicates": duplicates,
    }


def _precheck(inp: forms.ReportInput, guest: bool) -> dict[str, list[str]]:
    """The required fields, all at once (the service stops at the first problem)."""
    errors: dict[str, list[str]] = {}
    if not inp.category:
        errors["category"] = [_("Pilih kategori.")]
    if not inp.title.strip():
        errors["title"] = [_("Wajib diisi.")]
    if not inp.description.strip():
        errors["description"] = [_("Ceritakan masalahnya; uraian wajib diisi.")]
    elif len(inp.description.replace("\r\n", "\n").strip()) > forms.MAX_DESCRIPTION:
        errors["description"] = [
            _("Terlalu panjang (maks. %(n)s karakter).") % {"n": forms.MAX_DESCRIPTION}
        ]
    if not inp.village:
        errors["village"] = [_("Pilih desa/kelurahan.")]
    if bool(inp.latitude) != bool(inp.longitude):
        errors["latitude"] = [_("Isi lintang dan bujur, atau kosongkan keduanya.")]
    elif inp.latitude and inp.pin() is None:
        errors["latitude"] = [
            _("Koordinat berada di luar wilayah Indonesia atau tidak valid. Periksa titik di peta.")
        ]
    if guest:
        if not inp.guest_name.strip():
            errors["guest_name"] = [_("Wajib diisi.")]
        if not inp.guest_email.strip() and not inp.guest_phone.strip():
            errors["guest_email"] = [
                _("Isi email atau nomor ponsel agar kami dapat mengabari Anda.")
            ]
    return errors


def _store_new_photos(
    request: HttpRequest, inp: forms.ReportInput, errors: dict[str, list[str]]
) -> None:
    """Store the photos uploaded with this request right away (each is kept by id, so a form
    sent back with errors does not ask for them again)."""
    uploads = cast("list[UploadedFile[bytes]]", request.FILES.getlist("photos"))
    for upload in uploads:
        if len(inp.photo_ids) >= MAX_PHOTOS:
            errors.setdefault("photos", []).append(
                _("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS}
            )
            break
        try:
            stored = store_photo(uploaded=upload, owner=_user(request))
        except ValidationError as error:
            name = upload.name or ""
            for message in error.messages:
                errors.setdefault("photos", []).append(f"{name}: {message}" if name else message)
            continue
        file_id = str(stored.file.pk)
        inp.photo_ids.append(file_id)
        _remember_photo(request, file_id)
        if stored.pin_suggestion is not None and not inp.photo_pin:
            inp.photo_pin = f"{stored.pin_suggestion[0]:.6f},{stored.pin_suggestion[1]:.6f}"


def _check_photo_ids(
    request: HttpRequest, inp: forms.ReportInput, errors: dict[str, list[str]]
) -> None:
    known = set(_session_photo_ids(request))
    kept = [i for i in inp.photo_ids if _valid_uuid(i) and i in known]
    if len(kept) != len(inp.photo_ids):
        errors.setdefault("photos", []).append(_("Foto tidak ditemukan. Unggah ulang foto Anda."))
    inp.photo_ids = kept[:MAX_PHOTOS]


def _render_form(
    request: HttpRequest,
    government: Government,
    governments: list[Government],
    inp: forms.ReportInput,
    errors: dict[str, list[str]],
    status: int = 200,
) -> HttpResponse:
    context = _form_context(request, government, governments, inp, errors)
    return render(request, "complaints/report_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form, signed in or as a guest. Submitting files the report once per form
    (idempotency key); buttons without JavaScript refresh the region lists, upload photos,
    use a photo's location and look for similar reports."""
    governments = _governments()
    government, unknown = _pick_government(request, governments)
    if government is None:
        return render(
            request,
            "complaints/report_choose.html",
            {"governments": governments, "unknown": unknown},
            status=400 if unknown else 200,
        )
    if request.method == "GET":
        inp = forms.ReportInput(idempotency_key=uuid.uuid4().hex)
        return _render_form(request, government, governments, inp, {})

    inp = forms.ReportInput.from_post(request.POST)
    if not inp.idempotency_key:
        inp.idempotency_key = uuid.uuid4().hex
    action = request.POST.get("action", "submit")
    errors: dict[str, list[str]] = {}
    _check_photo_ids(request, inp, errors)
    _store_new_photos(request, inp, errors)
    if action == "use_photo_pin":
        suggestion = forms.parse_photo_pin(inp.photo_pin)
        if suggestion is not None:
            inp.latitude, inp.longitude = f"{suggestion[0]:.6f}", f"{suggestion[1]:.6f}"
    if action in ("refresh", "upload", "use_photo_pin"):
        return _render_form(request, government, governments, inp, errors, 400 if errors else 200)

    reporter = _user(request)
    errors.update({k: v for k, v in _precheck(inp, reporter is None).items() if k not in errors})
    if errors:
        return _render_form(request, government, governments, inp, errors, 400)
    try:
        result = services.complaint_submit(
            government=government,
            category=inp.category_id() or inp.category,
            title=inp.title,
            description=inp.description,
            region=inp.village,
            report_class=inp.report_class,
            latitude=inp.latitude or None,
            longitude=inp.longitude or None,
            landmark=inp.landmark,
            visibility=inp.visibility,
            identity=inp.identity,
            reporter=reporter,
            guest_name=inp.guest_name if reporter is None else "",
            guest_email=inp.guest_email if reporter is None else "",
            guest_phone=inp.guest_phone if reporter is None else "",
            guest_language=get_language() or "",
            photo_file_ids=inp.photo_ids,
            source="web",
            idempotency_key=inp.idempotency_key,
        )
    except ValidationError as error:
        errors = forms.error_messages(error.message_dict)
        return _render_form(request, government, governments, inp, errors, 400)
    except IdempotencyConflict as error:
        inp.idempotency_key = uuid.uuid4().hex
        errors = {"idempotency_key": [error.message]}
        return _render_form(request, government, governments, inp, errors, 409)

    number = result.complaint.tracking_number
    submitted = request.session.get(SESSION_SUBMITTED, {})
    if not isinstance(submitted, dict):
        submitted = {}
    submitted[number] = result.guest_token
    request.session[SESSION_SUBMITTED] = dict(list(submitted.items())[-10:])
    # The photo ids stay remembered: a resent form (double tap, offline draft sent again) must
    # reach the idempotency check and get the same report; the service refuses to attach a
    # photo that already belongs to a report, so remembering them allows nothing more.
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect("complaints:submitted", number=number)


@require_POST
def photo_upload(request: HttpRequest) -> HttpResponse:
    """Store one photo from the report form's script; JSON with its id and the pin its GPS
    suggests. 400 with a message for a missing, refused or oversized file."""
    upload = request.FILES.get("photo")
    if upload is None:
        return JsonResponse({"error": _("Pilih foto untuk diunggah.")}, status=400)
    try:
        stored = store_photo(uploaded=cast("UploadedFile[bytes]", upload), owner=_user(request))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    file_id = str(stored.file.pk)
    _remember_photo(request, file_id)
    pin = stored.pin_suggestion
    return JsonResponse(
        {
            "id": file_id,
            "name": stored.file.original_name,
            "thumbnail_url": file_url(stored.file, thumbnail=True)
            if request.user.is_authenticated
            else "",
            "pin": [pin[0], pin[1]] if pin else None,
        },
        status=201,
    )


@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """Open public reports of the chosen category near the pin (an htmx fragment)."""
    category = str(request.GET.get("category", ""))
    pin = forms.parse_pin(
        str(request.GET.get("latitude", "")).replace(",", "."),
        str(request.GET.get("longitude", "")).replace(",", "."),
    )
    found: list[dict[str, Any]] = []
    if category.isdigit() and pin is not None:
        found = selectors.duplicate_candidates(
            category_id=int(category), latitude=pin[0], longitude=pin[1]
        )
    return render(request, "complaints/_duplicates.html", {"duplicates": found})


@require_GET
def submitted(request: HttpRequest, number: str) -> HttpResponse:
    """The confirmation after filing: the tracking number, what happens next and, for a
    guest, the private link — shown once."""
    store = request.session.get(SESSION_SUBMITTED, {})
    if not isinstance(store, dict) or number not in store:
        raise Http404
    token = str(store.get(number) or "")
    if token:
        store[number] = ""
        request.session[SESSION_SUBMITTED] = store
    view = selectors.tracking_view(number=number)
    if view is None:
        raise Http404
    private_link = ""
    if token:
        private_link = request.build_absolute_uri(
            reverse("complaints:guest_entry", args=[number, token])
        )
    return render(
        request,
        "complaints/submitted.html",
        {
            "view": view,
            "private_link": private_link,
            "guest": not request.user.is_authenticated,
        },
    )


# --- tracking -------------------------------------------------------------------------------------
@require_GET
def track_form(request: HttpRequest) -> HttpResponse:
    """Ask for a tracking number; a filled form goes to the tracking page."""
    number = str(request.GET.get("nomor", "")).strip().upper()
    if number:
        if len(number) > 24 or not all(c.isalnum() or c == "-" for c in number):
            return render(
                request,
                "complaints/track_form.html",
                {"number": number, "error": _("Nomor lacak tidak valid.")},
                status=400,
            )
        return redirect("complaints:track", number=number)
    return render(request, "complaints/track_form.html", {"number": ""})


@require_GET
def track(request: HttpRequest, number: str) -> HttpResponse:
    """Status, public timeline, current agency and stage deadline — for anyone holding the
    number, so nothing personal and, for a confidential report, nothing of its content."""
    view = selectors.tracking_view(number=number)
    if view is None:
        return render(
            request,
            "complaints/track_form.html",
            {"number": number, "error": _("Nomor lacak tidak ditemukan. Periksa kembali.")},
            status=404,
        )
    listed = view.is_public and view.status in PUBLIC_LISTED_STATES
    return render(request, "complaints/track.html", {"view": view, "listed": listed})


# --- the reporter's own reports -------------------------------------------------------------------
@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in citizen's reports, newest first."""
    raw = str(request.GET.get("hal", "1"))
    page_number = int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
    page = selectors.reporter_complaints(
        user=request.user, page=page_number, page_size=LIST_PAGE_SIZE
    )
    labels = COMPLAINT.public_labels()
    rows = [{"complaint": c, "status_label": labels.get(c.state, c.state)} for c in page.items]
    return render(request, "complaints/mine.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def mine_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One of the citizen's own reports, with the private conversation and its actions."""
    return _reporter_page(request, number, user=cast(User, request.user), guest_token="")


@require_GET
def guest_entry(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The guest's private link: remembers the token in the session and opens the page."""
    complaint = Complaint.objects.filter(tracking_number=number).first()
    if complaint is None or not services.reporter_owns(complaint, user=None, guest_token=token):
        raise Http404
    tokens = request.session.get(SESSION_GUEST, {})
    if not isinstance(tokens, dict):
        tokens = {}
    tokens[number] = token
    request.session[SESSION_GUEST] = dict(list(tokens.items())[-20:])
    return redirect("complaints:guest_detail", number=number)


@require_http_methods(["GET", "POST"])
def guest_detail(request: HttpRequest, number: str) -> HttpResponse:
    """A guest's report, opened through the private link earlier in this session."""
    tokens = request.session.get(SESSION_GUEST, {})
    token = str(tokens.get(number, "")) if isinstance(tokens, dict) else ""
    if not token:
        raise Http404
    return _reporter_page(request, number, user=None, guest_token=token)


def _reporter_timeline(complaint: Complaint) -> list[dict[str, Any]]:
    """The public steps with their public notes (the reporter sees these on a confidential
    report too); no actor, no internal note."""
    rows = []
    for event in workflow_timeline(complaint, public_only=True):
        if event.transition == "submit":
            label = _("Laporan diterima")
        elif event.transition == "answer":
            label = _("Tanggapan petugas")
        else:
            transition = COMPLAINT.transition(event.transition)
            label = str(transition.label) if transition else event.transition
        rows.append(
            {
                "at": event.created_at,
                "label": label,
                "status_label": COMPLAINT.public_label(event.to_state) if event.to_state else "",
                "note": event.public_note,
            }
        )
    return rows


def _rating(value: str) -> int | None:
    return int(value) if value.isdigit() and 1 <= int(value) <= 5 else None


def _reporter_action(
    complaint: Complaint, data: QueryDict, user: User | None, token: str
) -> tuple[str, str]:
    """Run the posted action; (form name, success message). Raises the services' errors."""
    action = str(data.get("action", ""))
    if action == "reply":
        services.complaint_reporter_reply(
            complaint=complaint, body=str(data.get("body", "")), user=user, guest_token=token
        )
        return "reply", _("Pesan Anda terkirim ke petugas.")
    if action == "confirm":
        rating = _rating(str(data.get("rating", "")))
        if rating is None:
            raise ValidationError({"rating": _("Pilih penilaian antara 1 dan 5 bintang.")})
        services.complaint_confirm(
            complaint=complaint,
            rating=rating,
            comment=str(data.get("comment", "")),
            user=user,
            guest_token=token,
        )
        return "confirm", _("Terima kasih atas penilaian Anda.")
    if action == "reopen":
        services.complaint_reopen(
            complaint=complaint, reason=str(data.get("reason", "")), user=user, guest_token=token
        )
        return "reopen", _("Laporan dibuka kembali dan diteruskan ke petugas.")
    if action == "restrict":
        make_confidential = data.get("make_confidential") == "on"
        make_anonymous = data.get("make_anonymous") == "on"
        if not make_confidential and not make_anonymous:
            raise ValidationError({"restrict": _("Pilih setidaknya satu perubahan.")})
        services.complaint_restrict(
            complaint=complaint,
            make_confidential=make_confidential,
            make_anonymous=make_anonymous,
            reporter_user=user,
            guest_token=token,
        )
        return "restrict", _("Pengaturan privasi laporan diperbarui.")
    raise ValidationError({"action": _("Tindakan tidak dikenal.")})


def _reporter_page(
    request: HttpRequest, number: str, *, user: User | None, guest_token: str
) -> HttpResponse:
    complaint = (
        Complaint.objects.select_related("category", "region", "agency", "government")
        .prefetch_related(
            Prefetch("photos", queryset=ComplaintPhoto.objects.select_related("file"))
        )
        .filter(tracking_number=number)
        .first()
    )
    if complaint is None or not services.reporter_owns(
        complaint, user=user, guest_token=guest_token
    ):
        raise Http404
    errors: dict[str, list[str]] = {}
    failed_form = ""
    status = 200
    if request.method == "POST":
        form_name = str(request.POST.get("action", ""))
        try:
            form_name, done = _reporter_action(complaint, request.POST, user, guest_token)
        except ValidationError as error:
            errors = {
                ("general" if k == "__all__" else k): [str(m) for m in v]
                for k, v in error.message_dict.items()
            }
            failed_form, status = form_name, 400
        except IllegalTransition as error:
            errors = {"general": [error.message]}
            failed_form, status = form_name, 409
        else:
            messages.success(request, done)
            return redirect(request.path)
    return _render_reporter_page(
        request, complaint, guest=user is None, errors=errors, failed=failed_form, status=status
    )


def _render_reporter_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    guest: bool,
    errors: dict[str, list[str]],
    failed: str,
    status: int,
) -> HttpResponse:
    now = timezone.now()
    window = services.reopen_window(complaint.government)
    reopen_until = complaint.resolved_at + window if complaint.resolved_at else None
    can_reopen = (
        complaint.state in ("resolved", "closed")
        and reopen_until is not None
        and now <= reopen_until
    )
    can_rate = complaint.state == "resolved" or (
        complaint.state == "closed" and complaint.rating is None
    )
    view = selectors.tracking_view(number=complaint.tracking_number)
    photos = [
        {
            "kind": p.get_kind_display(),
            "url": file_url(p.file),
            "thumbnail_url": file_url(p.file, thumbnail=True),
        }
        for p in complaint.photos.all()
    ]
    return render(
        request,
        "complaints/reporter_detail.html",
        {
            "complaint": complaint,
            "view": view,
            "status_label": COMPLAINT.public_label(complaint.state),
            "timeline": _reporter_timeline(complaint),
            "conversation": selectors.complaint_messages(complaint=complaint),
            "photos": photos if not guest else [],
            "photo_count": len(photos),
            "guest": guest,
            "can_reply": complaint.is_open,
            "can_rate": can_rate,
            "can_reopen": can_reopen,
            "reopen_until": reopen_until,
            "reopen_hours": int(window.total_seconds() // 3600),
            "survey_url": complaint_survey.reporter_survey_path(complaint),
            "listed": selectors.is_publicly_listed(complaint),
            "errors": errors,
            "failed": failed,
            "ratings": [
                (5, _("5 — sangat puas")),
                (4, _("4 — puas")),
                (3, _("3 — cukup")),
                (2, _("2 — kurang puas")),
                (1, _("1 — tidak puas")),
            ],
            "post": request.POST if status != 200 else {},
        },
        status=status,
    )


# --- public pages ---------------------------------------------------------------------------------
def _filter_choices(governments: list[Government]) -> dict[str, Any]:
    """Options of the public filters: categories and regions of the governments."""
    categories: list[tuple[Government, list[forms.CategoryOption]]] = []
    region_groups: list[tuple[Government, list[Region]]] = []
    for government in governments:
        categories.append(
            (government, forms.category_options(selectors.categories_for(government=government)))
        )
        root = government.region
        region_groups.append((government, [root, *regions.region_children(root.code)]))
    return {"category_groups": categories, "region_groups": region_groups}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Public reports, newest first, with filters (category, region, status, period)."""
    governments = _governments()
    choices = _filter_choices(governments)
    category_ids = {o.id for _gov, options in choices["category_groups"] for o in options}
    query = forms.parse_list_query(
        request.GET,
        government_ids={g.slug: g.pk for g in governments},
        category_ids=category_ids,
    )
    page = None
    if not query.errors:
        page = selectors.public_complaints(
            filters=query.filters, page=query.page, page_size=LIST_PAGE_SIZE
        )
    kept = urlencode({k: v for k, v in query.values.items() if v})
    return render(
        request,
        "complaints/home.html",
        {
            **choices,
            "governments": governments,
            "values": query.values,
            "errors": query.errors,
            "page": page,
            "query": kept,
            "statuses": forms.status_choices(),
        },
        status=400 if query.errors else 200,
    )


@require_GET
def detail(request: HttpRequest, number: str) -> HttpResponse:
    """A public report: photos, public timeline, support count, support and follow."""
    try:
        view = selectors.public_complaint(number=number)
    except Complaint.DoesNotExist:
        raise Http404 from None
    following = bool(
        request.user.is_authenticated
        and ComplaintFollower.objects.filter(
            complaint__tracking_number=number, user_id=request.user.pk
        ).exists()
    )
    return render(request, "complaints/detail.html", {"view": view, "following": following})


def _listed_complaint(number: str) -> Complaint:
    complaint = Complaint.objects.filter(tracking_number=number).first()
    if complaint is None:
        raise Http404
    return complaint


@login_required
@require_POST
def support(request: HttpRequest, number: str) -> HttpResponse:
    """Support ("dukung") a public report, and follow it, instead of filing a duplicate."""
    complaint = _listed_complaint(number)
    created = services.complaint_support(complaint=complaint, user=cast(User, request.user))
    if created:
        messages.success(
            request,
            _("Terima kasih, dukungan Anda tercatat. Anda akan menerima kabar perkembangannya."),
        )
    else:
        messages.info(request, _("Anda sudah mendukung laporan ini."))
    return redirect("complaints:detail", number=number)


@login_required
@require_POST
def follow(request: HttpRequest, number: str) -> HttpResponse:
    """Follow or stop following a public report's changes."""
    complaint = _listed_complaint(number)
    wanted = request.POST.get("follow", "1") != "0"
    services.complaint_follow(complaint=complaint, user=cast(User, request.user), follow=wanted)
    if wanted:
        messages.success(request, _("Anda mengikuti laporan ini."))
    else:
        messages.success(request, _("Anda berhenti mengikuti laporan ini."))
    return redirect("complaints:detail", number=number)


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The map of public reports; the points of the viewport come from ``map_data``."""
    governments = _governments()
    choices = _filter_choices(governments)
    latest = selectors.map_points(south=-11.2, west=94.7, north=6.3, east=141.1, limit=1)
    center = (latest[0]["lat"], latest[0]["lng"]) if latest else None
    category_names = {
        o.service_code: o.name for _gov, options in choices["category_groups"] for o in options
    }
    return render(
        request,
        "complaints/map.html",
        {
            **choices,
            "center": center,
            "values": {
                "kategori": str(request.GET.get("kategori", "")),
                "status": str(request.GET.get("status", "")),
            },
            "statuses": forms.status_choices(),
            "labels": {
                "status": COMPLAINT.public_labels(),
                "category": category_names,
                "open": _("Buka laporan"),
                "empty": _("Tidak ada laporan publik di area ini."),
                "count": _("%(n)s laporan di area ini."),
                "truncated": _("Perbesar peta untuk melihat semua laporan."),
                "error": _("Data peta tidak dapat dimuat."),
            },
        },
    )


@require_GET
def map_data(request: HttpRequest) -> HttpResponse:
    """Compact JSON of the public pins in ``bbox=west,south,east,north`` (Leaflet's
    ``toBBoxString``), optionally by ``kategori`` (id) and ``status``. 400 with a message
    for a bad box or filter. No title, description or anything personal: number, position,
    category code and status only."""
    try:
        south, west, north, east = forms.parse_bbox(str(request.GET.get("bbox", "")))
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    raw_category = str(request.GET.get("kategori", "")).strip()
    if raw_category and not raw_category.isdigit():
        return JsonResponse({"error": _("Kategori tidak dikenal.")}, status=400)
    status = str(request.GET.get("status", "")).strip()
    if status and status not in dict(forms.status_choices()):
        return JsonResponse({"error": _("Status tidak dikenal.")}, status=400)
    points = selectors.map_points(
        south=south,
        west=west,
        north=north,
        east=east,
        category_id=int(raw_category) if raw_category else None,
        status=status,
    )
    response = JsonResponse(
        {
            "fields": ["number", "lat", "lng", "category", "status"],
            "points": [
                [p["number"], p["lat"], p["lng"], p["category"], p["status"]] for p in points
            ],
            "truncated": len(points) >= selectors.MAP_LIMIT,
        }
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
