"""Install the demo data once. Idempotent: a second run changes nothing."""

from __future__ import annotations

from django.db import transaction

from loket.accounts.models import User
from loket.catalog.demo import install_demo_catalog
from loket.core.audit import log_action
from loket.demo import data
from loket.organizations.models import Agency, Government, Membership, Region


def _ensure_regions() -> None:
    if Region.objects.filter(code="18.71").exists():
        return
    from django.core.management import call_command

    call_command("import_regions", "--bundled", verbosity=0)


def _verified_user(*, email: str, name: str, kind: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email=email, password=data.DEMO_PASSWORD, full_name=name, kind=kind
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _activate_totp(user: User) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, data.DEMO_TOTP_SECRET)
    RecoveryCodes.activate(user)


def demo_installed() -> bool:
    return Government.objects.filter(slug=data.PROVINCE.slug).exists()


@transaction.atomic
def install_demo() -> bool:
    """Create the demo governments, agencies, officers and citizens. Returns False when the
    demo was already installed."""
    if demo_installed():
        return False
    _ensure_regions()
    agencies: dict[tuple[str, str], Agency] = {}
    for spec in data.GOVERNMENTS:
        region = Region.objects.get(code=spec.region_code)
        government = Government.objects.create(
            region=region, name=spec.name, slug=spec.slug, tracking_prefix=spec.prefix
        )
        for slug, short, full in spec.agencies:
            agencies[(spec.slug, slug)] = Agency.objects.create(
                government=government, slug=slug, short_name=short, name=full
            )
    for officer in data.OFFICERS:
        user = _verified_user(
            email=data.officer_email(officer), name=officer.name, kind=User.Kind.OFFICER
        )
        if officer.role == "platform_admin":
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        Membership.objects.create(
            user=user, agency=agencies[(officer.government, officer.agency)], role=officer.role
        )
        _activate_totp(user)
    for local, name in data.CITIZENS:
        _verified_user(email=data.citizen_email(local), name=name, kind=User.Kind.CITIZEN)
    log_action(
        "demo.installed",
        payload={"governments": len(data.GOVERNMENTS), "officers": len(data.OFFICERS)},
    )
    install_demo_catalog()
    from loket.applications.demo import install_demo_applications

    install_demo_applications()
    from loket.complaints.demo import install_demo_complaints

    install_demo_complaints()
    return True
