"""Writes for accounts: sign-up with a one-time code, profile, NIK, export, deletion, officers.

Every function here runs in a transaction and writes one audit event. Personal data (email,
phone, NIK) never reaches an audit payload: a keyed reference (``personal_ref``) stands in.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from loket.accounts import nik as nik_codec
from loket.accounts import otp
from loket.accounts.models import SignupRequest, User
from loket.core.audit import log_action, personal_ref

log = logging.getLogger(__name__)


class AccountError(Exception):
    """A request that cannot be done, with a message for the user and an HTTP status."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# ---------------------------------------------------------------------------------------------
# Sign-up with a one-time code
# ---------------------------------------------------------------------------------------------


def _existing_account(channel: str, destination: str) -> bool:
    if channel == SignupRequest.Channel.EMAIL:
        return User.objects.filter(email__iexact=destination).exists()
    return User.objects.filter(phone=destination).exists()


def _check_send_budget(destination_ref: str) -> None:
    """Refuse a send that comes too soon after the last one or over the hourly budget."""
    now = timezone.now()
    recent = SignupRequest.objects.filter(
        destination_ref=destination_ref, created_at__gte=now - otp.SEND_WINDOW
    ).aggregate(sent=Sum("send_count"), last=Max("last_sent_at"))
    last = recent["last"]
    if last is not None and now - last < otp.RESEND_INTERVAL:
        wait = int((otp.RESEND_INTERVAL - (now - last)).total_seconds()) + 1
        raise AccountError(
            _("Tunggu %(s)d detik sebelum meminta kode baru.") % {"s": wait}, status=429
        )
    if (recent["sent"] or 0) >= otp.MAX_SENDS:
        raise AccountError(
            _("Terlalu banyak kode dikirim ke alamat ini. Coba lagi satu jam lagi."),
            status=429,
        )


def _issue_code(request: SignupRequest) -> str:
    """Put a fresh code on ``request`` (not saved). An address that already has an account
    gets a code nobody knows and a notice instead, so sign-up does not reveal who is
    registered."""
    code = otp.generate_code()
    scope = str(request.id)
    if _existing_account(request.channel, request.destination):
        request.code_hash = otp.hash_code(scope=scope, code=otp.generate_code() + "x")
    else:
        request.code_hash = otp.hash_code(scope=scope, code=code)
    now = timezone.now()
    request.code_expires_at = now + otp.CODE_TTL
    request.attempts = 0
    request.send_count += 1
    request.last_sent_at = now
    return code


def _deliver_code(request: SignupRequest, code: str) -> None:
    exists = _existing_account(request.channel, request.destination)
    with translation.override(request.language):
        if exists:
            text = _(
                "Seseorang mencoba mendaftar di Loket dengan alamat ini, tetapi alamat ini "
                "sudah punya akun. Silakan masuk, atau atur ulang kata sandi bila lupa."
            )
        else:
            text = _(
                "Kode verifikasi Loket Anda: %(code)s. Berlaku 10 menit. "
                "Jangan berikan kode ini kepada siapa pun."
            ) % {"code": code}
        if request.channel == SignupRequest.Channel.EMAIL:
            send_mail(_("Kode verifikasi Loket"), text, None, [request.destination])
        else:
            from loket.notifications.providers import send_sms_now

            send_sms_now(request.destination, text)


def _send_or_release(request: SignupRequest, code: str) -> None:
    """Send the code; when the provider fails, give the send back so the user may retry."""
    try:
        _deliver_code(request, code)
    except Exception as exc:
        log.warning("signup code not delivered ref=%s", request.destination_ref, exc_info=True)
        SignupRequest.objects.filter(pk=request.pk).update(
            last_sent_at=None, send_count=max(request.send_count - 1, 0)
        )
        raise AccountError(
            _("Kode belum bisa dikirim. Coba lagi sebentar lagi."), status=503
        ) from exc


def start_signup(
    *, channel: str, destination: str, full_name: str, password: str, language: str = "id"
) -> SignupRequest:
    """Record a sign-up and send its one-time code by email or SMS.

    ``destination`` is already normalised (lower-case email or ``+628…``) and the password
    already validated. No account exists until :func:`confirm_signup` succeeds.
    """
    ref = personal_ref(destination)
    with transaction.atomic():
        _check_send_budget(ref)
        request = SignupRequest(
            channel=channel,
            destination=destination,
            destination_ref=ref,
            full_name=full_name.strip(),
            password_hash=make_password(password),
            language=language if language in ("id", "en") else "id",
        )
        code = _issue_code(request)
        request.save(force_insert=True)
        log_action(
            "account.signup_started",
            obj=request,
            payload={"channel": channel, "ref": ref},
        )
    _send_or_release(request, code)
    return request


def resend_signup_code(*, request_id: uuid.UUID | str) -> SignupRequest:
    """Send a new code for an open sign-up; the old code stops working."""
    with transaction.atomic():
        request = SignupRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.completed_at is not None:
            raise AccountError(_("Pendaftaran tidak ditemukan. Silakan daftar lagi."))
        _check_send_budget(request.destination_ref)
        code = _issue_code(request)
        request.save()
        log_action("account.signup_code_resent", obj=request, payload={"channel": request.channel})
    _send_or_release(request, code)
    return request


def confirm_signup(*, request_id: uuid.UUID | str, code: str) -> User:
    """Check the code and create the account. Wrong codes count against the request."""
    wrong_left: int | None = None
    user: User | None = None
    with transaction.atomic():
        request = SignupRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.completed_at is not None:
            raise AccountError(_("Pendaftaran tidak ditemukan. Silakan daftar lagi."))
        if request.attempts >= otp.MAX_ATTEMPTS:
            raise AccountError(_("Terlalu banyak kode salah. Minta kode baru."), status=429)
        if timezone.now() > request.code_expires_at:
            raise AccountError(_("Kode sudah kedaluwarsa. Minta kode baru."))
        if not otp.check_code(scope=str(request.id), code=code, code_hash=request.code_hash):
            request.attempts += 1
            request.save(update_fields=["attempts"])
            wrong_left = otp.MAX_ATTEMPTS - request.attempts
        else:
            user = _create_citizen(request)
    if wrong_left is not None:
        log.info("signup code wrong ref=%s", request.destination_ref)
        if wrong_left <= 0:
            raise AccountError(_("Kode salah. Kesempatan habis; minta kode baru."), status=429)
        raise AccountError(
            _("Kode salah. Periksa lagi kode yang kami kirim (sisa %(n)d kali).")
            % {"n": wrong_left}
        )
    assert user is not None
    return user


def _create_citizen(request: SignupRequest) -> User:
    is_email = request.channel == SignupRequest.Channel.EMAIL
    if _existing_account(request.channel, request.destination):
        raise AccountError(_("Alamat ini sudah terdaftar. Silakan masuk."), status=409)
    try:
        with transaction.atomic():
            user = User.objects.create(
                kind=User.Kind.CITIZEN,
                email=request.destination if is_email else None,
                phone=None if is_email else request.destination,
                phone_verified=not is_email,
                full_name=request.full_name,
                language=request.language,
                notify_email=is_email,
                notify_sms=not is_email,
                password=request.password_hash,
            )
    except IntegrityError as exc:
        raise AccountError(_("Alamat ini sudah terdaftar. Silakan masuk."), status=409) from exc
    if is_email:
        EmailAddress.objects.create(
            user=user, email=request.destination, verified=True, primary=True
        )
    request.completed_at = timezone.now()
    request.user = user
    request.password_hash = ""
    request.save(update_fields=["completed_at", "user", "password_hash"])
    log_action(
        "account.signup_confirmed",
        actor=user,
        obj=user,
        payload={"channel": request.channel, "ref": request.destination_ref},
    )
    return user


# ---------------------------------------------------------------------------------------------
# Profile and NIK
# ---------------------------------------------------------------------------------------------


def update_profile(
    *,
    user: User,
    full_name: str,
    language: str,
    notify_email: bool,
    notify_sms: bool,
    notify_whatsapp: bool,
) -> User:
    """Change the name, language and notification channels of one's own account."""
    if notify_email and not user.email:
        raise AccountError(_("Akun ini tidak punya email untuk menerima kabar."))
    if (notify_sms or notify_whatsapp) and not user.phone:
        raise AccountError(_("Akun ini tidak punya nomor ponsel untuk menerima kabar."))
    values = {
        "full_name": full_name.strip(),
        "language": language if language in ("id", "en") else "id",
        "notify_email": notify_email,
        "notify_sms": notify_sms,
        "notify_whatsapp": notify_whatsapp,
    }
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if not changed:
        return user
    with transaction.atomic():
        for name in changed:
            setattr(user, name, values[name])
        user.save(update_fields=changed)
        log_action("account.profile_updated", actor=user, obj=user, payload={"fields": changed})
    return user


def set_nik(*, user: User, nik: str) -> User:
    """Validate, encrypt and store a NIK on the account (raises ``ValidationError``)."""
    value = nik_codec.validate(nik)
    index = nik_codec.blind_index(value)
    taken_message = _("NIK ini tidak dapat dipakai. Hubungi petugas bila NIK ini milik Anda.")
    if User.objects.filter(nik_index=index).exclude(pk=user.pk).exists():
        raise ValidationError(taken_message, code="nik_taken")
    try:
        with transaction.atomic():
            user.nik_ciphertext = nik_codec.encrypt(value)
            user.nik_index = index
            user.nik_masked = nik_codec.mask(value)
            user.save(update_fields=["nik_ciphertext", "nik_index", "nik_masked"])
            log_action("account.nik_set", actor=user, obj=user, payload={})
    except IntegrityError as exc:
        raise ValidationError(taken_message, code="nik_taken") from exc
    return user


def reveal_nik(*, user: User, viewer: User, reason: str) -> str:
    """Return the whole NIK of ``user`` to ``viewer`` and record that it was seen.

    The owner may always see it; officers and platform staff must give a reason.
    """
    own = viewer.pk == user.pk
    if not own and not (viewer.is_officer or viewer.is_staff):
        raise PermissionDenied
    if not own and not reason.strip():
        raise AccountError(_("Tuliskan alasan melihat NIK."))
    if not user.nik_ciphertext:
        return ""
    with transaction.atomic():
        value = nik_codec.decrypt(user.nik_ciphertext)
        log_action(
            "nik.viewed",
            actor=viewer,
            actor_role="owner" if own else ("staff" if viewer.is_staff else "officer"),
            obj=user,
            payload={"reason": reason.strip()[:200]},
        )
    return value


# ---------------------------------------------------------------------------------------------
# Export ("download all my data")
# ---------------------------------------------------------------------------------------------

ExportSection = Callable[[User], Any]
_EXPORT_SECTIONS: dict[str, ExportSection] = {}


def register_export_section(name: str, section: ExportSection) -> None:
    """Add a section to every user's data export. ``section(user)`` returns JSON-able data.

    Modules call this from their ``AppConfig.ready``; registering a name again replaces it.
    """
    _EXPORT_SECTIONS[name] = section


def _profile_section(user: User) -> dict[str, Any]:
    return {
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "kind": user.kind,
        "language": user.language,
        "notify_email": user.notify_email,
        "notify_sms": user.notify_sms,
        "notify_whatsapp": user.notify_whatsapp,
        "nik_masked": user.nik_masked,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def _memberships_section(user: User) -> list[dict[str, Any]]:
    from loket.organizations.models import Membership

    rows = Membership.objects.filter(user=user).select_related("agency__government")
    return [
        {
            "agency": m.agency.name,
            "government": m.agency.government.name,
            "role": m.role,
            "is_active": m.is_active,
            "since": m.created_at.isoformat(),
        }
        for m in rows.order_by("created_at", "pk")
    ]


def _notifications_section(user: User) -> list[dict[str, Any]]:
    from loket.notifications.models import Notification

    return [
        {
            "kind": n.kind,
            "title": n.title,
            "body": n.body,
            "url": n.url,
            "created_at": n.created_at.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None,
        }
        for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


register_export_section("profile", _profile_section)
register_export_section("memberships", _memberships_section)
register_export_section("notifications", _notifications_section)


def export_user_data(*, user: User) -> dict[str, Any]:
    """Everything Loket holds about ``user``, as one JSON-able document (UU 27/2022)."""
    with transaction.atomic():
        data: dict[str, Any] = {
            "format": "loket-export/1",
            "generated_at": timezone.now().isoformat(),
        }
        for name, section in _EXPORT_SECTIONS.items():
            data[name] = section(user)
        log_action(
            "account.exported", actor=user, obj=user, payload={"sections": list(_EXPORT_SECTIONS)}
        )
    return data


# ---------------------------------------------------------------------------------------------
# Deactivation and deletion
# ---------------------------------------------------------------------------------------------


def deactivate_user(*, user: User, actor: User | None, reason: str = "") -> User:
    """Switch an account off; its sessions end on their next request."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        log_action("account.deactivated", actor=actor, obj=user, payload={"reason": reason[:200]})
    return user


def anonymize_user(*, user: User, actor: User | None) -> User:
    """Delete an account's personal data but keep the row, so records that point to it stay.

    Name, email, phone and NIK are cleared, the password becomes unusable (which also ends
    every session), second factors and the inbox are removed.
    """
    refs = [personal_ref(v) for v in (user.email, user.phone) if v]
    with transaction.atomic():
        user.full_name = ""
        user.email = None
        user.phone = None
        user.phone_verified = False
        user.nik_ciphertext = ""
        user.nik_index = ""
        user.nik_masked = ""
        user.notify_email = user.notify_sms = user.notify_whatsapp = False
        user.is_active = False
        user.anonymized_at = timezone.now()
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        SignupRequest.objects.filter(destination_ref__in=refs).delete()
        SignupRequest.objects.filter(user=user).delete()
        from loket.notifications.models import Notification

        Notification.objects.filter(recipient=user).delete()
        log_action(
            "account.anonymized",
            actor=actor,
            obj=user,
            payload={"by_owner": actor is not None and actor.pk == user.pk},
        )
    return user


# ---------------------------------------------------------------------------------------------
# Officers
# ---------------------------------------------------------------------------------------------


def create_officer(
    *,
    email: str,
    full_name: str,
    password: str,
    agency: Any,
    role: str,
    platform_admin: bool = False,
    actor: User | None = None,
) -> User:
    """Create an officer account with a membership in ``agency``.

    The password must meet the officer policy (raises ``ValidationError``). The officer sets
    up a second factor at first sign-in.
    """
    from loket.organizations.models import Membership, Role

    email = User.objects.normalize_email(email).strip().lower()
    if role not in Role.values:
        raise ValidationError(_("Peran tidak dikenal."), code="role")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Email ini sudah dipakai akun lain."), code="email_taken")
    candidate = User(
        email=email, full_name=full_name, kind=User.Kind.OFFICER, is_staff=platform_admin
    )
    validate_password(password, candidate)
    with transaction.atomic():
        candidate.is_superuser = platform_admin
        candidate.set_password(password)
        candidate.save(force_insert=True)
        EmailAddress.objects.create(user=candidate, email=email, verified=True, primary=True)
        Membership.objects.create(user=candidate, agency=agency, role=role)
        log_action(
            "account.officer_created",
            actor=actor,
            obj=candidate,
            government_id=agency.government_id,
            payload={"role": role, "agency_id": agency.pk, "platform_admin": platform_admin},
        )
    return candidate
