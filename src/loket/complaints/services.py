"""Writes of the complaints module. Each service: checks → ``transaction.atomic`` → change →
``log_action`` → notifications (queued in the same transaction).

State changes go through the workflow engine (:func:`loket.workflow.services.apply_transition`,
table in :mod:`loket.complaints.states`); its errors pass through unchanged:
``IllegalTransition`` (409), ``NotPermitted`` (404, also for an officer of another agency or
government). Bad input raises ``ValidationError`` with Indonesian messages, before anything
is written.

Reporters act as themselves (``user=``) or, for guests, with the secret token returned at
filing (``guest_token=``). Their steps are recorded with **no actor** on the timeline and in
the audit trail, so neither ever names the reporter of a report; the reporter link lives only
in :class:`~loket.complaints.models.ComplaintReporter`. Public changes notify the reporter
and the followers through an after-transition hook (so the system's auto-close does too).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.accounts.models import User
from loket.accounts.phone import normalize_phone
from loket.complaints import attributes as attrs
from loket.complaints import survey as complaint_survey
from loket.complaints.errors import IdentityWithheld
from loket.complaints.geo import inside_indonesia
from loket.complaints.models import (
    Category,
    Complaint,
    ComplaintFollower,
    ComplaintMessage,
    ComplaintPhoto,
    ComplaintReporter,
    ComplaintSupport,
    Identity,
    ReportClass,
    Source,
    Visibility,
)
from loket.complaints.photos import MAX_PHOTOS, PHOTO_PURPOSE, store_photo
from loket.complaints.selectors import (
    is_publicly_listed,
    office_path,
    pin_warnings,
    route_for,
    tracking_path,
)
from loket.complaints.states import COMPLAINT, stage_budget
from loket.core.audit import log_action
from loket.core.calendar import calendar_for_government
from loket.core.idempotency import run_once, valid_key
from loket.core.models import StoredFile
from loket.core.permissions import (
    COMPLAINT_ASSIGN,
    COMPLAINT_HANDLE,
    COMPLAINT_READ,
    COMPLAINT_TRIAGE,
    REPORTER_IDENTITY_VIEW,
    OfficerScope,
    officer_scope,
)
from loket.core.refcache import cached
from loket.core.rows import insert
from loket.core.sequences import next_number
from loket.notifications.services import notify, notify_contact
from loket.organizations.models import Agency, Government, Membership, Region, Role
from loket.workflow.errors import IllegalTransition, NotPermitted
from loket.workflow.models import WorkflowEvent
from loket.workflow.scopes import SYSTEM_SCOPE, Scope, owner_scope
from loket.workflow.services import apply_transition, first_clock_columns, start_timer

MAX_DESCRIPTION = 4000
MAX_TITLE = 150
MAX_MESSAGE = 4000
DEFAULT_REOPEN_WINDOW_HOURS = 72
REPORTER_ROLE = "reporter"
# Transitions whose public step is not worth a message to the reporter and followers.
_QUIET_TRANSITIONS = frozenset({"receive"})


# --- settings of a government ---------------------------------------------------------------------
def complaint_settings(government: Government) -> dict[str, Any]:
    """``Government.settings["complaints"]``: ``auto_dispatch`` (bool, default False) and
    ``reopen_window_hours`` (int, default 72)."""
    value = (government.settings or {}).get("complaints")
    return value if isinstance(value, dict) else {}


def reopen_window(government: Government) -> timedelta:
    hours = complaint_settings(government).get("reopen_window_hours")
    if not isinstance(hours, int) or isinstance(hours, bool) or hours < 0:
        hours = DEFAULT_REOPEN_WINDOW_HOURS
    return timedelta(hours=hours)


# --- reporters ------------------------------------------------------------------------------------
def guest_token_for(reporter: ComplaintReporter) -> str:
    """The secret a guest uses to act on their report (sent once, never stored in clear)."""
    key = hashlib.sha256(("complaint-guest:" + settings.DATA_KEY).encode()).digest()
    message = f"{reporter.complaint_id}:{reporter.token_salt}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def reporter_owns(complaint: Complaint, *, user: Any = None, guest_token: str = "") -> bool:
    """Whether the caller is the reporter of ``complaint`` (account or guest token)."""
    reporter = ComplaintReporter.objects.filter(complaint_id=complaint.pk).first()
    if reporter is None:
        return False
    if user is not None and getattr(user, "is_authenticated", False):
        return reporter.user_id is not None and reporter.user_id == user.pk
    if guest_token and reporter.user_id is None:
        return hmac.compare_digest(guest_token_for(reporter), guest_token)
    return False


def _require_reporter(complaint: Complaint, user: Any, guest_token: str) -> None:
    if not reporter_owns(complaint, user=user, guest_token=guest_token):
        raise NotPermitted()


# Who the reporter messages go to: an account, or a guest's reporter row (its contact is read
# by the system only, never shown).
Recipient = User | ComplaintReporter


def _reporter_recipient(complaint: Complaint) -> Recipient | None:
    """The reporter to tell: their account (when active), or the guest's reporter row when
    the guest left an email or phone. None for a deleted account."""
    reporter = ComplaintReporter.objects.select_related("user").filter(complaint=complaint).first()
    if reporter is None:
        return None
    if reporter.user is not None:
        return reporter.user if reporter.user.is_active else None
    if reporter.guest_email or reporter.guest_phone:
        return reporter
    return None


# --- notifications --------------------------------------------------------------------------------
def _audience(complaint: Complaint, exclude_id: int | None = None) -> list[Recipient]:
    """The reporter (account or guest contact) and every follower, once each; a guest
    reporter comes first and is never the excluded actor."""
    people: dict[int, User] = {}
    guests: list[Recipient] = []
    reporter = _reporter_recipient(complaint)
    if isinstance(reporter, User):
        people[reporter.pk] = reporter
    elif reporter is not None:
        guests.append(reporter)
    for follower in ComplaintFollower.objects.filter(complaint=complaint).select_related("user"):
        people.setdefault(follower.user_id, follower.user)
    return guests + [u for pk, u in people.items() if pk != exclude_id and u.is_active]


def _context(complaint: Complaint, **extra: Any) -> dict[str, Any]:
    # Never the reporter's name, contact or the description: a tracking number, labels and
    # public text only.
    return {
        "number": complaint.tracking_number,
        "status": COMPLAINT.state(complaint.state).public_label,  # lazy: recipient's language
        "title": complaint.title if complaint.visibility == Visibility.PUBLIC else "",
        **extra,
    }


def _guest_path(complaint: Complaint, reporter: ComplaintReporter) -> str:
    """The guest's private link (it carries the guest token): opens their report page."""
    args = [complaint.tracking_number, guest_token_for(reporter)]
    try:
        return reverse("complaints:guest_entry", args=args)
    except NoReverseMatch:
        return "/pengaduan/tamu/{}/{}/".format(*args)


def _notify_all(
    people: Sequence[Recipient],
    kind: str,
    complaint: Complaint,
    *,
    url: str = "",
    audit: bool = True,
    **extra: Any,
) -> list[str]:
    """Tell each person: accounts through their inbox and channels (link: ``url`` or the
    tracking page), guests on their email/phone (link: ``url`` or their private link; the
    context gets ``guest=True``). A reporter row with an account stands for that account.

    Returns references to the notifications written (``n<id>`` inbox, ``c<id>`` contact), for
    a caller that records them in its own audit entry (``audit=False``)."""
    context = _context(complaint, **extra)
    written: list[str] = []
    for person in people:
        target: Recipient | None = person
        if isinstance(person, ComplaintReporter) and person.user_id is not None:
            target = person.user if person.user is not None and person.user.is_active else None
        if isinstance(target, User):
            notification = notify(
                recipient=target,
                kind=kind,
                context=context,
                url=url or tracking_path(complaint.tracking_number),
                audit=audit,
            )
            written.append(f"n{notification.pk}")
        elif target is not None:
            contact = notify_contact(
                email=target.guest_email,
                phone=target.guest_phone,
                language=target.guest_language,
                kind=kind,
                context={**context, "guest": True},
                url=url or _guest_path(complaint, target),
                audit=audit,
            )
            if contact is not None:
                written.append(f"c{contact.pk}")
    return written


def _invite_to_survey(complaint: Complaint, event: WorkflowEvent) -> None:
    """At the first closing, invite the reporter (account or guest) to rate the agency's
    complaint handling; nothing when no catalog service rates it (see ``survey``)."""
    earlier = (
        WorkflowEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(Complaint),
            subject_id=str(complaint.pk),
            workflow=COMPLAINT.name,
            to_state="closed",
        )
        .exclude(pk=event.pk)
        .exists()
    )
    if earlier:
        return
    reporter = _reporter_recipient(complaint)
    if reporter is None:
        return
    found = complaint_survey.invitation(complaint)
    if found is None:
        return
    service, link = found
    _notify_all([reporter], "complaint.survey", complaint, url=link, service=service.name)


def _notify_agency(complaint: Complaint, roles: Sequence[str], kind: str) -> None:
    members = Membership.objects.filter(
        agency_id=complaint.agency_id or 0, role__in=roles, is_active=True, user__is_active=True
    ).select_related("user")
    seen: set[int] = set()
    for membership in members.order_by("user_id"):
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            notify(
                recipient=membership.user,
                kind=kind,
                context=_context(complaint),
                url=office_path(complaint.pk),
            )


def on_complaint_transition(subject: Any, event: WorkflowEvent) -> None:
    """Engine hook (every complaint transition, whoever took it): stamp closing times, tell
    the reporter (account or guest) and followers about public changes and, at the first
    closing, invite the reporter to the satisfaction survey."""
    if not isinstance(subject, Complaint):
        return
    stamps: dict[str, Any] = {"updated_at": event.created_at}
    if event.to_state == "closed":
        stamps["closed_at"] = event.created_at
    Complaint.objects.filter(pk=subject.pk).update(**stamps)
    for name, value in stamps.items():
        setattr(subject, name, value)
    if not event.is_public or event.transition in _QUIET_TRANSITIONS:
        return
    kind = "complaint.resolved" if event.to_state == "resolved" else "complaint.status_changed"
    extra: dict[str, Any] = {"note": event.public_note}
    if kind == "complaint.resolved":
        hours = int(reopen_window(subject.government).total_seconds() // 3600)
        extra["reopen_hours"] = hours
    _notify_all(_audience(subject, exclude_id=event.actor_id), kind, subject, **extra)
    if event.to_state == "closed":
        _invite_to_survey(subject, event)


# --- transitions ----------------------------------------------------------------------------------
def _scope(actor: Any) -> OfficerScope:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotPermitted()
    return officer_scope(actor)


def _require(scope: Scope, capability: str, complaint: Complaint) -> None:
    if not scope.can(
        capability, government_id=complaint.government_id, agency_id=complaint.agency_id
    ):
        raise NotPermitted()


def _precheck(complaint: Complaint, name: str, scope: Scope) -> None:
    """The engine's checks, in its order, before any side work (e.g. storing photos)."""
    transition = COMPLAINT.transition(name)
    assert transition is not None
    _require(scope, transition.capability, complaint)
    if complaint.state not in transition.sources:
        raise IllegalTransition(
            _("Tindakan „%(action)s” tidak dapat dilakukan karena statusnya sekarang „%(state)s”.")
            % {"action": transition.label, "state": COMPLAINT.state(complaint.state).label}
        )


def _transition(
    complaint: Complaint,
    name: str,
    *,
    actor: Any,
    scope: Scope,
    note: str = "",
    public: bool = False,
    extra: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> WorkflowEvent:
    at = now or timezone.now()
    complaint._clock_at = at  # type: ignore[attr-defined]  # calendar-day stages convert from here
    return apply_transition(
        workflow=COMPLAINT,
        subject=complaint,
        name=name,
        actor=actor,
        scope=scope,
        note=note,
        public=public,
        extra=extra,
        now=at,
    )


def _lock(complaint: Complaint) -> Complaint:
    """Re-read the row under a lock inside the caller's transaction (fresh state)."""
    fresh = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("government", "category", "agency")
        .get(pk=complaint.pk)
    )
    complaint.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    complaint.government = fresh.government
    complaint.category = fresh.category
    complaint.agency = fresh.agency
    return complaint


def _clean_text(value: str, *, field_name: str, limit: int, required: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field_name: _("Wajib diisi.")})
    if len(text) > limit:
        raise ValidationError(
            {field_name: _("Terlalu panjang (maks. %(n)s karakter).") % {"n": limit}}
        )
    return text


# --- numbering ------------------------------------------------------------------------------------
def next_tracking_number(*, government: Government, at: datetime | None = None) -> str:
    """The next number of the government for the year of ``at`` (``LPG-2026-000123``).

    Numbers come from the shared running-number service (one series per government and year,
    taken under a row lock), so two concurrent filings never get the same number.
    """
    at = at or timezone.now()
    year = calendar_for_government(government).local_date(at).year
    seq = next_number(f"complaint:{government.pk}:{year}")
    return f"{government.tracking_prefix}-{year}-{seq:06d}"


# --- filing ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SubmitResult:
    """``created`` is False when an idempotency key returned an earlier filing. ``warnings``
    are shown but never block (e.g. a pin far from the chosen kelurahan). ``guest_token`` is
    the guest's secret for later steps ("" for account holders)."""

    complaint: Complaint
    created: bool
    warnings: list[str] = field(default_factory=list)
    guest_token: str = ""
    pin_suggestion: tuple[float, float] | None = None


def _resolve_category(government: Government, category: Category | int | str) -> Category:
    if isinstance(category, Category):
        found: Category | None = category
    elif isinstance(category, int):
        found = cached(
            Category, "pk", category, lambda: Category.objects.filter(pk=category).first()
        )
    else:
        code = str(category)
        found = cached(
            Category,
            "service_code",
            code,
            lambda: Category.objects.filter(service_code=code).first(),
        )
    if found is None or not found.is_active or found.government_id != government.pk:
        raise ValidationError({"category": _("Kategori tidak dikenal.")})
    return found


def _resolve_region(government: Government, region: Region | str) -> Region:
    found = (
        region
        if isinstance(region, Region)
        else cached(Region, "pk", region, lambda: Region.objects.filter(pk=region).first())
    )
    if (
        found is None
        or found.level != Region.Level.VILLAGE
        or not found.code.startswith(government.region_id + ".")
    ):
        raise ValidationError(
            {"region": _("Pilih desa/kelurahan di wilayah %(name)s.") % {"name": government.name}}
        )
    return found


def _clean_pin(latitude: Any, longitude: Any) -> tuple[float | None, float | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValidationError({"location": _("Koordinat tidak valid.")}) from None
    if not (math.isfinite(lat) and math.isfinite(lng)) or not inside_indonesia(lat, lng):
        raise ValidationError(
            {"location": _("Koordinat berada di luar wilayah Indonesia. Periksa titik di peta.")}
        )
    return round(lat, 6), round(lng, 6)


def _clean_guest(name: str, email: str, phone: str) -> tuple[str, str, str]:
    name = _clean_text(name, field_name="guest_name", limit=150)
    email = (email or "").strip().lower()
    phone_norm = ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"guest_email": _("Alamat email tidak valid.")}) from None
    if (phone or "").strip():
        phone_norm = normalize_phone(phone) or ""
        if not phone_norm:
            raise ValidationError({"guest_phone": _("Nomor ponsel tidak valid.")})
    if not email and not phone_norm:
        raise ValidationError(
            {"guest_email": _("Isi email atau nomor ponsel agar kami dapat mengabari Anda.")}
        )
    return name, email, phone_norm


def _attached_files(ids: Sequence[str], owner: User | None) -> list[StoredFile]:
    if not ids:
        return []
    files = list(
        StoredFile.objects.filter(
            pk__in=list(ids), purpose=PHOTO_PURPOSE, complaint_photo__isnull=True
        )
    )
    owner_id = owner.pk if owner is not None else None
    if len(files) != len(set(map(str, ids))) or any(f.owner_id != owner_id for f in files):
        raise ValidationError({"photos": _("Foto tidak ditemukan. Unggah ulang foto Anda.")})
    order = {str(i): n for n, i in enumerate(ids)}
    return sorted(files, key=lambda f: order[str(f.pk)])


def complaint_submit(
    *,
    government: Government,
    category: Category | int | str,
    title: str,
    description: str,
    region: Region | str,
    report_class: str = ReportClass.COMPLAINT,
    latitude: float | str | None = None,
    longitude: float | str | None = None,
    landmark: str = "",
    visibility: str = Visibility.CONFIDENTIAL,
    identity: str = Identity.ANONYMOUS,
    reporter: User | None = None,
    guest_name: str = "",
    guest_email: str = "",
    guest_phone: str = "",
    guest_language: str = "",
    photos: Sequence[UploadedFile[bytes]] = (),
    photo_file_ids: Sequence[str] = (),
    attributes: Mapping[str, Any] | None = None,
    source: str = Source.WEB,
    idempotency_key: str = "",
    entered_by: User | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """File a report for ``government``.

    Validates everything first (category of this government accepting ``report_class``,
    title, description ≤ 4,000 characters, a desa/kelurahan of the government, pin inside
    Indonesia, guest contact when there is no ``reporter``, at most five photos, Open311
    attribute values) and raises ``ValidationError`` before anything is stored. ``category``
    is a Category, its id, or its Open311 service code. Defaults are the safest choices:
    confidential and anonymous.

    Photos come either as uploads (``photos``) or as files stored earlier with
    :func:`loket.complaints.photos.store_photo` (``photo_file_ids``; the form's pin
    suggestion). ``guest_language``: the language a guest filed in, for their messages
    (default Indonesian). ``idempotency_key`` makes a retry return the first filing (``created``
    False). ``entered_by`` is counter staff filing for a walk-in citizen.

    In one transaction: the number, the report, its reporter row, photos, the "submitted"
    timeline step, the ``triage`` clock, the audit entry, the reporter's notification; then,
    when the government enables auto-dispatch and a routing rule matches (not for information
    requests), the system's ``auto_dispatch``.
    """
    at = now or timezone.now()
    cat = _resolve_category(government, category)
    if report_class not in ReportClass.values:
        raise ValidationError({"report_class": _("Jenis laporan tidak dikenal.")})
    if not cat.accepts(report_class):
        raise ValidationError(
            {"category": _("Kategori ini tidak menerima jenis laporan tersebut.")}
        )
    if visibility not in Visibility.values or identity not in Identity.values:
        raise ValidationError({"visibility": _("Pilihan privasi tidak dikenal.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Kanal tidak dikenal.")})
    clean_title = _clean_text(title, field_name="title", limit=MAX_TITLE)
    clean_description = _clean_text(description, field_name="description", limit=MAX_DESCRIPTION)
    place = _resolve_region(government, region)
    lat, lng = _clean_pin(latitude, longitude)
    clean_landmark = _clean_text(landmark, field_name="landmark", limit=200, required=False)
    guest = ("", "", "")
    if reporter is None:
        guest = _clean_guest(guest_name, guest_email, guest_phone)
    languages = {code for code, _name in settings.LANGUAGES}
    language = guest_language if guest_language in languages else settings.LANGUAGE_CODE
    if len(photos) + len(photo_file_ids) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS}})
    values = attrs.clean_values(cat.attributes or [], attributes)
    if idempotency_key and not valid_key(idempotency_key):
        raise ValidationError({"idempotency_key": _("Kunci idempotensi tidak valid.")})
    warnings = (
        pin_warnings(region=place, latitude=lat, longitude=lng)
        if lat is not None and lng is not None
        else []
    )

    pin_suggestion: list[tuple[float, float] | None] = [None]
    made: list[Complaint] = []  # the report this call created (none for a repeated key)
    # The number is taken in a short transaction of its own (unless the caller holds one
    # open), so the series' row lock is not held while the report is written: filings for one
    # government would otherwise queue behind each other. A filing that fails afterwards, or
    # repeats an idempotency key, leaves a gap in the series; a number is never given twice.
    number = next_tracking_number(government=government, at=at)

    def create() -> dict[str, Any]:
        complaint = _create(
            government=government,
            tracking_number=number,
            category=cat,
            report_class=report_class,
            title=clean_title,
            description=clean_description,
            region=place,
            latitude=lat,
            longitude=lng,
            landmark=clean_landmark,
            visibility=visibility,
            identity=identity,
            reporter=reporter,
            guest=guest,
            guest_language=language,
            photos=photos,
            photo_file_ids=photo_file_ids,
            attributes=values,
            source=source,
            entered_by=entered_by,
            at=at,
            pin_suggestion=pin_suggestion,
        )
        made.append(complaint)
        return {"id": complaint.pk, "number": complaint.tracking_number}

    if idempotency_key:
        owner = f"u{reporter.pk}" if reporter is not None else "guest"
        request_data = {
            "government": government.pk,
            "category": cat.pk,
            "class": report_class,
            "title": clean_title,
            "description": clean_description,
            "region": place.code,
            "pin": [lat, lng],
            "landmark": clean_landmark,
            "visibility": visibility,
            "identity": identity,
            "guest": list(guest),
            "photos": [[p.name, p.size] for p in photos] + [str(i) for i in photo_file_ids],
            "attributes": values,
            "source": source,
        }
        result, created = run_once(
            scope=f"complaint.submit:{owner}",
            key=idempotency_key,
            request_data=request_data,
            action=create,
            known_result={"number": number},  # stored with the key: no update after
        )
    else:
        with transaction.atomic():
            result, created = create(), True
    if created and made:
        complaint = made[0]
    else:  # a repeat: the first filing, by the number kept with its key
        complaint = Complaint.objects.select_related("government", "category").get(
            tracking_number=result["number"]
        )
    token = ""
    if reporter is None:
        token = guest_token_for(ComplaintReporter.objects.get(complaint=complaint))
    return SubmitResult(
        complaint=complaint,
        created=created,
        warnings=warnings,
        guest_token=token,
        pin_suggestion=pin_suggestion[0],
    )


def _create(
    *,
    government: Government,
    tracking_number: str,
    category: Category,
    report_class: str,
    title: str,
    description: str,
    region: Region,
    latitude: float | None,
    longitude: float | None,
    landmark: str,
    visibility: str,
    identity: str,
    reporter: User | None,
    guest: tuple[str, str, str],
    guest_language: str,
    photos: Sequence[UploadedFile[bytes]],
    photo_file_ids: Sequence[str],
    attributes: dict[str, Any],
    source: str,
    entered_by: User | None,
    at: datetime,
    pin_suggestion: list[tuple[float, float] | None],
) -> Complaint:
    with transaction.atomic(savepoint=False):
        files = _attached_files(photo_file_ids, reporter)
        complaint = Complaint(
            government=government,
            tracking_number=tracking_number,
            report_class=report_class,
            category=category,
            title=title,
            description=description,
            region=region,
            latitude=latitude,
            longitude=longitude,
            landmark=landmark,
            attributes=attributes,
            visibility=visibility,
            identity=identity,
            source=source,
            created_at=at,
            updated_at=at,
        )
        # The first clock's deadline goes in with the report: one write of the report.
        triage_days = stage_budget(complaint, "triage", at=at)
        for name, value in first_clock_columns(
            government=government, budget_working_days=triage_days, at=at
        ).items():
            setattr(complaint, name, value)
        insert(complaint)
        reporter_row = insert(
            ComplaintReporter(
                complaint=complaint,
                user=reporter,
                guest_name=guest[0],
                guest_email=guest[1],
                guest_phone=guest[2],
                guest_language=guest_language,
            )
        )
        for upload in photos:
            stored = store_photo(uploaded=upload, owner=reporter)
            if pin_suggestion[0] is None:
                pin_suggestion[0] = stored.pin_suggestion
            files.append(stored.file)
        ComplaintPhoto.objects.bulk_create(
            ComplaintPhoto(complaint=complaint, file=f, kind=ComplaintPhoto.Kind.BEFORE, position=n)
            for n, f in enumerate(files)
        )
        insert(
            WorkflowEvent(
                subject_type=ContentType.objects.get_for_model(Complaint),
                subject_id=str(complaint.pk),
                government=government,
                workflow=COMPLAINT.name,
                transition="submit",
                from_state="",
                to_state=COMPLAINT.initial,
                actor=entered_by,
                actor_role="counter_staff" if entered_by is not None else REPORTER_ROLE,
                is_public=True,
                created_at=at,
            )
        )
        start_timer(
            subject=complaint,
            stage="triage",
            budget_working_days=triage_days,
            workflow=COMPLAINT.name,
            at=at,
            audit=False,  # recorded by the filing's own entry below
            new_subject=True,
        )
        # The account, or the guest's email/phone (a guest always leaves one of them). The
        # filing's entry names the notification: one audit entry per filing.
        notified = _notify_all([reporter_row], "complaint.received", complaint, audit=False)
        # The audit chain is locked from the first entry until the commit: the audited step
        # comes last so that concurrent filings wait for each other as briefly as possible.
        log_action(
            "complaint.submitted",
            actor=entered_by,
            actor_role="counter_staff" if entered_by is not None else REPORTER_ROLE,
            obj=complaint,
            government_id=government.pk,
            payload={
                "number": complaint.tracking_number,
                "category_id": category.pk,
                "class": report_class,
                "visibility": visibility,
                "identity": identity,
                "source": source,
                "photos": len(files),
                "guest": reporter is None,
                "clocks": [f"start triage {triage_days}"],
                "notified": notified,
            },
        )
        if report_class != ReportClass.INFORMATION and complaint_settings(government).get(
            "auto_dispatch"
        ):
            match = route_for(government=government, category=category, region=region)
            if match is not None:
                _transition(
                    complaint,
                    "auto_dispatch",
                    actor=None,
                    scope=SYSTEM_SCOPE,
                    extra={"agency": match.agency},
                    now=at,
                )
                log_action(
                    "complaint.auto_dispatched",
                    actor_role="system",
                    obj=complaint,
                    government_id=government.pk,
                    payload={"agency_id": match.agency.pk, "rule_id": match.rule_id},
                )
                _notify_agency(complaint, (Role.LIAISON,), "complaint.dispatched")
    return complaint


# --- coordinator ----------------------------------------------------------------------------------
def complaint_verify(*, complaint: Complaint, actor: User, note: str = "") -> WorkflowEvent:
    """Start verification (received → verification). Coordinator (``complaint.triage``)."""
    with transaction.atomic():
        _lock(complaint)
        return _transition(complaint, "verify", actor=actor, scope=_scope(actor), note=note)


def complaint_reject(*, complaint: Complaint, actor: User, reason: str) -> WorkflowEvent:
    """Reject with a reason the reporter and (for public reports) the public read
    (verification → rejected). Coordinator."""
    reason = _clean_text(reason, field_name="reason", limit=MAX_MESSAGE)
    with transaction.atomic():
        _lock(complaint)
        return _transition(
            complaint, "reject", actor=actor, scope=_scope(actor), note=reason, public=True
        )


def complaint_dispatch(
    *, complaint: Complaint, actor: User, agency: Agency, note: str = ""
) -> WorkflowEvent:
    """Send the report to an agency of its government (verification → dispatched); starts
    the agency's ``follow_up`` and ``settle`` clocks and tells the agency's liaisons."""
    scope = _scope(actor)
    if agency.government_id != complaint.government_id or not agency.is_active:
        raise ValidationError({"agency": _("Perangkat daerah tidak dikenal.")})
    with transaction.atomic():
        _lock(complaint)
        event = _transition(
            complaint, "dispatch", actor=actor, scope=scope, note=note, extra={"agency": agency}
        )
        _notify_agency(complaint, (Role.LIAISON,), "complaint.dispatched")
        return event


def complaint_redirect(
    *, complaint: Complaint, actor: User, agency: Agency, note: str = ""
) -> WorkflowEvent:
    """Move a dispatched report to another agency of the same government (coordinator);
    the new agency's ``follow_up`` clock starts afresh, the handler is cleared."""
    scope = _scope(actor)
    if (
        agency.government_id != complaint.government_id
        or not agency.is_active
        or agency.pk == complaint.agency_id
    ):
        raise ValidationError({"agency": _("Pilih perangkat daerah lain di pemerintah ini.")})
    with transaction.atomic():
        _lock(complaint)
        event = _transition(
            complaint,
            "redirect",
            actor=actor,
            scope=scope,
            note=note,
            extra={"agency": agency, "handler": None},
        )
        _notify_agency(complaint, (Role.LIAISON,), "complaint.dispatched")
        return event


@dataclass(frozen=True)
class BulkResult:
    dispatched: list[str]
    failed: dict[str, str]


def complaint_bulk_dispatch(
    *, complaint_ids: Sequence[int], actor: User, agency: Agency | None = None
) -> BulkResult:
    """Dispatch many reports in verification: to ``agency``, or each by the routing table
    when ``agency`` is None. Each report succeeds or fails on its own; ``failed`` maps the
    number (or ``#id`` for a report the actor cannot see) to the reason."""
    from loket.complaints.selectors import officer_complaints

    rows = {
        c.pk: c
        for c in officer_complaints(officer=actor)
        .select_related("category", "region", "government")
        .filter(pk__in=list(complaint_ids))
    }
    done: list[str] = []
    failed: dict[str, str] = {}
    for complaint_id in complaint_ids:
        complaint = rows.get(complaint_id)
        if complaint is None:
            failed[f"#{complaint_id}"] = str(NotPermitted().message)
            continue
        target = agency
        if target is None:
            match = route_for(
                government=complaint.government,
                category=complaint.category,
                region=complaint.region,
            )
            target = match.agency if match else None
        if target is None:
            failed[complaint.tracking_number] = _("Tidak ada aturan disposisi yang cocok.")
            continue
        try:
            complaint_dispatch(complaint=complaint, actor=actor, agency=target)
        except (IllegalTransition, NotPermitted) as exc:
            failed[complaint.tracking_number] = exc.message
        except ValidationError as exc:
            failed[complaint.tracking_number] = "; ".join(exc.messages)
        else:
            done.append(complaint.tracking_number)
    return BulkResult(dispatched=done, failed=failed)


def complaint_forward(
    *,
    complaint: Complaint,
    actor: User,
    to_government: Government,
    reason: str,
    category: Category | None = None,
) -> WorkflowEvent:
    """Hand the report to another government ("not our authority"), keeping its tracking
    number: ``forward`` (→ forwarded, every clock stops), then the receiving government owns
    it and the system's ``receive`` puts it back to *received* there with a fresh ``triage``
    clock on that government's calendar. ``category`` (of the receiving government) replaces
    the old one; otherwise the receiving coordinator re-categorises it."""
    scope = _scope(actor)
    reason = _clean_text(reason, field_name="reason", limit=MAX_MESSAGE)
    if to_government.pk == complaint.government_id or not to_government.is_active:
        raise ValidationError({"government": _("Pilih pemerintah daerah tujuan yang lain.")})
    if category is not None and (
        category.government_id != to_government.pk or not category.is_active
    ):
        raise ValidationError({"category": _("Kategori tidak dikenal.")})
    with transaction.atomic():
        _lock(complaint)
        old_government_id = complaint.government_id
        event = _transition(
            complaint,
            "forward",
            actor=actor,
            scope=scope,
            note=reason,
            public=True,
            extra={"agency": None, "handler": None},
        )
        moved: dict[str, Any] = {"government": to_government}
        if category is not None:
            moved["category"] = category
        Complaint.objects.filter(pk=complaint.pk).update(**moved)
        for name, value in moved.items():
            setattr(complaint, name, value)
        log_action(
            "complaint.forwarded",
            actor=actor,
            obj=complaint,
            government_id=old_government_id,
            payload={"from_government_id": old_government_id, "to_government_id": to_government.pk},
        )
        _transition(complaint, "receive", actor=None, scope=SYSTEM_SCOPE)
        return event


def complaint_recategorize(*, complaint: Complaint, actor: User, category: Category) -> Complaint:
    """Put the report under another category of its government (coordinator), while it is
    not yet being worked on: received, verification or dispatched."""
    scope = _scope(actor)
    with transaction.atomic():
        _lock(complaint)
        _require(scope, COMPLAINT_TRIAGE, complaint)
        if complaint.state not in ("received", "verification", "dispatched"):
            raise IllegalTransition(_("Kategori tidak dapat diubah pada status ini."))
        if category.government_id != complaint.government_id or not category.is_active:
            raise ValidationError({"category": _("Kategori tidak dikenal.")})
        old = complaint.category_id
        Complaint.objects.filter(pk=complaint.pk).update(
            category=category, updated_at=timezone.now()
        )
        complaint.category = category
        log_action(
            "complaint.recategorized",
            actor=actor,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"from_category_id": old, "to_category_id": category.pk},
        )
    return complaint


def complaint_merge(
    *, complaint: Complaint, into: Complaint, actor: User, note: str = ""
) -> WorkflowEvent:
    """Merge a duplicate into a surviving report of the same government (verification →
    merged). The duplicate's reporter (with an account) and followers become followers of the
    survivor and are told (a guest reporter is told on their contact); the survivor gets the
    duplicate's supporters."""
    scope = _scope(actor)
    if into.pk == complaint.pk or into.government_id != complaint.government_id:
        raise ValidationError({"into": _("Pilih laporan lain di pemerintah daerah yang sama.")})
    if COMPLAINT.state(into.state).terminal:
        raise ValidationError({"into": _("Laporan tujuan sudah ditolak atau digabung.")})
    with transaction.atomic():
        _lock(complaint)
        people = _audience(complaint)
        event = _transition(
            complaint, "merge", actor=actor, scope=scope, note=note, extra={"merged_into": into}
        )
        accounts = [p for p in people if isinstance(p, User)]
        ComplaintFollower.objects.bulk_create(
            [ComplaintFollower(complaint=into, user=p) for p in accounts], ignore_conflicts=True
        )
        supporters = ComplaintSupport.objects.filter(complaint=complaint).values_list(
            "user_id", flat=True
        )
        ComplaintSupport.objects.bulk_create(
            [ComplaintSupport(complaint=into, user_id=u) for u in supporters], ignore_conflicts=True
        )
        Complaint.objects.filter(pk=into.pk).update(
            support_count=ComplaintSupport.objects.filter(complaint=into).count()
        )
        log_action(
            "complaint.merged",
            actor=actor,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"into_id": into.pk, "followers_added": len(accounts)},
        )
        _notify_all(people, "complaint.merged", complaint, survivor=into.tracking_number)
        return event


def complaint_restrict(
    *,
    complaint: Complaint,
    make_confidential: bool = False,
    make_anonymous: bool = False,
    actor: User | None = None,
    reporter_user: User | None = None,
    guest_token: str = "",
) -> Complaint:
    """Make a report more private: public → confidential and/or shown → anonymous. Never the
    other way: there is no parameter for it. A coordinator (``actor``) or the reporter
    (``reporter_user``/``guest_token``) may do it, in any state."""
    if actor is not None:
        _require(_scope(actor), COMPLAINT_TRIAGE, complaint)
    else:
        _require_reporter(complaint, reporter_user, guest_token)
    changes: dict[str, str] = {}
    if make_confidential and complaint.visibility != Visibility.CONFIDENTIAL:
        changes["visibility"] = Visibility.CONFIDENTIAL
    if make_anonymous and complaint.identity != Identity.ANONYMOUS:
        changes["identity"] = Identity.ANONYMOUS
    if not changes:
        return complaint
    with transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(**changes, updated_at=timezone.now())
        for name, value in changes.items():
            setattr(complaint, name, value)
        log_action(
            "complaint.restricted",
            actor=actor,
            actor_role="" if actor is not None else REPORTER_ROLE,
            obj=complaint,
            government_id=complaint.government_id,
            payload=changes,
        )
    return complaint


# --- agency ---------------------------------------------------------------------------------------
def complaint_decline(*, complaint: Complaint, actor: User, reason: str) -> WorkflowEvent:
    """The agency returns a dispatched report to the coordinator ("not our authority");
    ``triage`` starts again."""
    reason = _clean_text(reason, field_name="reason", limit=MAX_MESSAGE)
    with transaction.atomic():
        _lock(complaint)
        return _transition(
            complaint,
            "decline",
            actor=actor,
            scope=_scope(actor),
            note=reason,
            extra={"agency": None, "handler": None},
        )


def complaint_assign(*, complaint: Complaint, actor: User, handler: User) -> Complaint:
    """Assign (or reassign) the handling officer: liaison or supervisor of the report's
    agency (``complaint.assign``). The handler must hold ``complaint.handle`` there."""
    scope = _scope(actor)
    _require(scope, COMPLAINT_ASSIGN, complaint)
    if complaint.state not in ("dispatched", "in_progress", "waiting", "reopened"):
        raise IllegalTransition(
            _("Petugas hanya dapat ditugaskan pada laporan yang sedang ditangani.")
        )
    if not officer_scope(handler).can(
        COMPLAINT_HANDLE, government_id=complaint.government_id, agency_id=complaint.agency_id
    ):
        raise ValidationError(
            {"handler": _("Petugas ini bukan petugas perangkat daerah tersebut.")}
        )
    with transaction.atomic():
        _lock(complaint)
        previous = complaint.handler_id
        if previous == handler.pk:
            return complaint
        Complaint.objects.filter(pk=complaint.pk).update(handler=handler, updated_at=timezone.now())
        complaint.handler = handler
        log_action(
            "complaint.reassigned" if previous else "complaint.assigned",
            actor=actor,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"handler_id": handler.pk, "previous_handler_id": previous},
        )
        notify(
            recipient=handler,
            kind="complaint.assigned",
            context=_context(complaint),
            url=office_path(complaint.pk),
        )
    return complaint


def complaint_start_work(
    *, complaint: Complaint, actor: User, estimate_date: date, note: str = ""
) -> WorkflowEvent:
    """The agency answers: work starts with an estimated completion date (dispatched or
    reopened → in progress); stops the ``follow_up`` clock. The actor becomes the handler when
    none is assigned."""
    scope = _scope(actor)
    today = timezone.localdate()
    if estimate_date < today:
        raise ValidationError({"estimate_date": _("Perkiraan selesai tidak boleh di masa lalu.")})
    with transaction.atomic():
        _lock(complaint)
        extra: dict[str, Any] = {"estimate_date": estimate_date}
        if complaint.handler_id is None:
            extra["handler"] = actor
        return _transition(
            complaint,
            "start_work",
            actor=actor,
            scope=scope,
            note=note,
            public=bool(note),
            extra=extra,
        )


def complaint_ask_reporter(*, complaint: Complaint, actor: User, question: str) -> WorkflowEvent:
    """Ask the reporter for more information (in progress → waiting; every clock pauses). The
    question goes to the reporter as a private message; the public sees only the status."""
    question = _clean_text(question, field_name="question", limit=MAX_MESSAGE)
    with transaction.atomic():
        _lock(complaint)
        event = _transition(
            complaint, "ask_reporter", actor=actor, scope=_scope(actor), note=question
        )
        _add_message(complaint, ComplaintMessage.Direction.TO_REPORTER, question, author=actor)
        return event


def complaint_resume(*, complaint: Complaint, actor: User, note: str) -> WorkflowEvent:
    """Go on without the reporter's answer (waiting → in progress; clocks resume)."""
    note = _clean_text(note, field_name="note", limit=MAX_MESSAGE)
    with transaction.atomic():
        _lock(complaint)
        return _transition(complaint, "resume", actor=actor, scope=_scope(actor), note=note)


def complaint_resolve(
    *,
    complaint: Complaint,
    actor: User,
    answer: str,
    after_photos: Sequence[UploadedFile[bytes]] = (),
    after_photo_file_ids: Sequence[str] = (),
    now: datetime | None = None,
) -> WorkflowEvent:
    """Resolve with a public answer (in progress → resolved). Categories that require it need
    at least one "after" photo (new or attached before). Starts the reporter's
    ``confirmation`` clock (auto-close when it runs out)."""
    scope = _scope(actor)
    _precheck(complaint, "resolve", scope)
    answer = _clean_text(answer, field_name="answer", limit=MAX_MESSAGE)
    existing = ComplaintPhoto.objects.filter(
        complaint=complaint, kind=ComplaintPhoto.Kind.AFTER
    ).count()
    new_count = len(after_photos) + len(after_photo_file_ids)
    if existing + new_count > MAX_PHOTOS:
        raise ValidationError({"photos": _("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS}})
    if complaint.category.requires_after_photo and existing + new_count == 0:
        raise ValidationError(
            {"photos": _("Kategori ini mewajibkan minimal satu foto sesudah penanganan.")}
        )
    at = now or timezone.now()
    with transaction.atomic():
        _lock(complaint)
        files = _attached_files(after_photo_file_ids, actor)
        files += [store_photo(uploaded=u, owner=actor).file for u in after_photos]
        ComplaintPhoto.objects.bulk_create(
            ComplaintPhoto(
                complaint=complaint, file=f, kind=ComplaintPhoto.Kind.AFTER, position=existing + n
            )
            for n, f in enumerate(files)
        )
        return _transition(
            complaint,
            "resolve",
            actor=actor,
            scope=scope,
            note=answer,
            public=True,
            extra={"public_answer": answer, "resolved_at": at},
            now=at,
        )


def complaint_add_note(
    *, complaint: Complaint, actor: User, body: str, public: bool = False
) -> WorkflowEvent:
    """A public answer (``public=True``; everyone sees it on the timeline, the reporter and
    followers are told) or an internal note (officers only), without changing the state.
    Officers who may handle the report (or triage it)."""
    scope = _scope(actor)
    if not (
        scope.can(
            COMPLAINT_HANDLE, government_id=complaint.government_id, agency_id=complaint.agency_id
        )
        or scope.can(COMPLAINT_TRIAGE, government_id=complaint.government_id)
    ):
        raise NotPermitted()
    body = _clean_text(body, field_name="body", limit=MAX_MESSAGE)
    with transaction.atomic():
        event = WorkflowEvent.objects.create(
            subject_type=ContentType.objects.get_for_model(Complaint),
            subject_id=str(complaint.pk),
            government_id=complaint.government_id,
            workflow=COMPLAINT.name,
            transition="answer" if public else "note",
            from_state=complaint.state,
            to_state=complaint.state,
            actor=actor,
            note=body,
            is_public=public,
            note_is_public=public,
        )
        log_action(
            "complaint.answered" if public else "complaint.noted",
            actor=actor,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"event_id": event.pk, "note_length": len(body)},
        )
        if public:
            _notify_all(_audience(complaint), "complaint.status_changed", complaint, note=body)
    return event


def _add_message(
    complaint: Complaint, direction: str, body: str, *, author: User | None
) -> ComplaintMessage:
    return ComplaintMessage.objects.create(
        complaint=complaint, direction=direction, body=body, author=author
    )


def complaint_message_reporter(*, complaint: Complaint, actor: User, body: str) -> ComplaintMessage:
    """A private message from an officer who may handle (or triage) the report to its
    reporter, anonymous or not: the platform delivers it, the officer never learns who."""
    scope = _scope(actor)
    if not (
        scope.can(
            COMPLAINT_HANDLE, government_id=complaint.government_id, agency_id=complaint.agency_id
        )
        or scope.can(COMPLAINT_TRIAGE, government_id=complaint.government_id)
    ):
        raise NotPermitted()
    body = _clean_text(body, field_name="body", limit=MAX_MESSAGE)
    with transaction.atomic():
        message = _add_message(
            complaint, ComplaintMessage.Direction.TO_REPORTER, body, author=actor
        )
        log_action(
            "complaint.message_sent",
            actor=actor,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"message_id": message.pk, "length": len(body)},
        )
        reporter = _reporter_recipient(complaint)
        if reporter is not None:
            _notify_all([reporter], "complaint.message", complaint)
    return message


# --- reporter -------------------------------------------------------------------------------------
def complaint_reporter_reply(
    *, complaint: Complaint, body: str, user: User | None = None, guest_token: str = ""
) -> ComplaintMessage:
    """The reporter writes to the officers. When the report waits for the reporter this is
    the answer: waiting → in progress and the clocks resume. Recorded without an actor."""
    _require_reporter(complaint, user, guest_token)
    body = _clean_text(body, field_name="body", limit=MAX_MESSAGE)
    if not complaint.is_open:
        raise IllegalTransition(_("Laporan ini sudah selesai; pesan tidak dapat dikirim."))
    with transaction.atomic():
        _lock(complaint)
        message = _add_message(
            complaint, ComplaintMessage.Direction.FROM_REPORTER, body, author=None
        )
        if complaint.state == "waiting":
            _transition(complaint, "reporter_replies", actor=None, scope=owner_scope(REPORTER_ROLE))
        log_action(
            "complaint.message_received",
            actor_role=REPORTER_ROLE,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"message_id": message.pk, "length": len(body)},
        )
        if complaint.handler_id is not None:
            handler = User.objects.get(pk=complaint.handler_id)
            notify(
                recipient=handler,
                kind="complaint.reporter_replied",
                context=_context(complaint),
                url=office_path(complaint.pk),
            )
    return message


def complaint_confirm(
    *,
    complaint: Complaint,
    rating: int,
    comment: str = "",
    user: User | None = None,
    guest_token: str = "",
) -> Complaint:
    """The reporter confirms the resolution and rates it 1–5 (resolved → closed). A report
    the system closed can still be rated once. Rating an open report is refused (409)."""
    _require_reporter(complaint, user, guest_token)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Penilaian harus antara 1 dan 5.")})
    comment = _clean_text(comment, field_name="comment", limit=1000, required=False)
    with transaction.atomic():
        _lock(complaint)
        if complaint.state == "resolved":
            _transition(
                complaint,
                "confirm",
                actor=None,
                scope=owner_scope(REPORTER_ROLE),
                extra={"rating": rating, "rating_comment": comment},
            )
        elif complaint.state == "closed" and complaint.rating is None:
            Complaint.objects.filter(pk=complaint.pk).update(rating=rating, rating_comment=comment)
            complaint.rating, complaint.rating_comment = rating, comment
        elif complaint.state == "closed":
            raise ValidationError({"rating": _("Laporan ini sudah dinilai.")})
        else:
            raise IllegalTransition(
                _("Penilaian hanya dapat diberikan setelah laporan selesai ditindaklanjuti.")
            )
        log_action(
            "complaint.rated",
            actor_role=REPORTER_ROLE,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"rating": rating, "comment_length": len(comment)},
        )
    return complaint


def complaint_reopen(
    *,
    complaint: Complaint,
    reason: str,
    user: User | None = None,
    guest_token: str = "",
    now: datetime | None = None,
) -> WorkflowEvent:
    """The reporter reopens a resolved or closed report within the government's window
    (default 72 hours after resolution) with a reason; the agency's clocks start again."""
    _require_reporter(complaint, user, guest_token)
    reason = _clean_text(reason, field_name="reason", limit=MAX_MESSAGE)
    at = now or timezone.now()
    with transaction.atomic():
        _lock(complaint)
        window = reopen_window(complaint.government)
        if (
            complaint.state in ("resolved", "closed")
            and complaint.resolved_at is not None
            and at > complaint.resolved_at + window
        ):
            raise ValidationError(
                {
                    "reason": _(
                        "Batas waktu membuka kembali laporan (%(hours)s jam setelah selesai) "
                        "sudah lewat."
                    )
                    % {"hours": int(window.total_seconds() // 3600)}
                }
            )
        return _transition(
            complaint,
            "reopen",
            actor=None,
            scope=owner_scope(REPORTER_ROLE),
            note=reason,
            public=True,
            extra={"rating": None, "rating_comment": "", "closed_at": None},
            now=at,
        )


def complaint_support(*, complaint: Complaint, user: User) -> bool:
    """Support ("dukung") a publicly listed report instead of filing a duplicate; the user
    also follows it. Returns False when the user already supported it."""
    if not is_publicly_listed(complaint):
        raise NotPermitted()
    if not user.is_authenticated:
        raise NotPermitted()
    with transaction.atomic():
        _, created = ComplaintSupport.objects.get_or_create(complaint=complaint, user=user)
        ComplaintFollower.objects.get_or_create(complaint=complaint, user=user)
        if created:
            Complaint.objects.filter(pk=complaint.pk).update(support_count=F("support_count") + 1)
            complaint.refresh_from_db(fields=["support_count"])
            log_action(
                "complaint.supported",
                actor=user,
                obj=complaint,
                government_id=complaint.government_id,
                payload={},
            )
    return created


def complaint_follow(*, complaint: Complaint, user: User, follow: bool = True) -> None:
    """Follow (or stop following) a publicly listed report's public changes."""
    if not is_publicly_listed(complaint) and follow:
        raise NotPermitted()
    with transaction.atomic():
        if follow:
            ComplaintFollower.objects.get_or_create(complaint=complaint, user=user)
        else:
            ComplaintFollower.objects.filter(complaint=complaint, user=user).delete()


# --- identity -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    email: str
    phone: str
    has_account: bool


def complaint_reveal_reporter(*, complaint: Complaint, actor: User) -> ReporterIdentity:
    """Who reported, for an officer holding ``complaint.reporter_identity`` on the report
    (coordinators; liaison, handler and supervisor of its agency). Every reveal is audited as
    ``complaint.identity_viewed``. For an anonymous report nobody — coordinator and platform
    administrator included — gets the identity: :class:`IdentityWithheld` (403). Officers
    reach anonymous reporters with :func:`complaint_message_reporter`."""
    scope = _scope(actor)
    _require(scope, COMPLAINT_READ, complaint)
    _require(scope, REPORTER_IDENTITY_VIEW, complaint)
    if complaint.is_anonymous:
        raise IdentityWithheld()
    reporter = ComplaintReporter.objects.select_related("user").get(complaint=complaint)
    with transaction.atomic():
        log_action(
            "complaint.identity_viewed",
            actor=actor,
            obj=complaint,
            government_id=complaint.government_id,
            payload={"number": complaint.tracking_number},
        )
    if reporter.user is not None:
        user = reporter.user
        return ReporterIdentity(
            name=user.full_name, email=user.email or "", phone=user.phone or "", has_account=True
        )
    return ReporterIdentity(
        name=reporter.guest_name,
        email=reporter.guest_email,
        phone=reporter.guest_phone,
        has_account=False,
    )


def register_hooks() -> None:
    from loket.workflow.hooks import register_after_transition

    register_after_transition(COMPLAINT.name, on_complaint_transition)
