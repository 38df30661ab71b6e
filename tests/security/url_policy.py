"""Who may open each URL pattern: one entry per pattern, read by the permission-matrix tests.

Every pattern of the root URLconf must have an entry here — by its name (``"catalog:detail"``)
or, for an unnamed pattern, by its full route string. A new URL without an entry fails
``test_every_url_pattern_has_a_policy``: add one line below when you add a view.

Access classes:

- ``PUBLIC``: anyone, signed in or not.
- ``CITIZEN``: any signed-in user; anonymous users are sent to the login page. With ``obj``,
  the object belongs to the signed-in citizen and every other user gets 404.
- ``OFFICER``: signed-in officer holding ``capability`` for the object's agency; others 404.
- ``ADMIN``: platform administrator (the Django admin); covered as one class by prefix.
- ``API_PUBLIC`` / ``API_USER``: REST API readable by anyone / needing a token or session
  (anonymous gets 401 or 403).
- ``INTEGRATOR``: an outside system authenticating itself (API key or signed callback).
- ``EXEMPT``: not probed by the matrix; ``reason`` says why and where it is tested instead.

``obj`` names a builder in ``tests/security/objects.py`` that creates a realistic object and
returns the URL kwargs. A pattern with parameters and no ``obj`` is probed with ids that do not
exist: denied roles must still be denied, allowed roles may get 404 (the object is missing).
``method`` is how the probe asks (POST-only views are probed with an empty POST).
``expect`` overrides the outcome for single roles (see ``ROLES`` in test_permission_matrix).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from loket.core import permissions as perms


class Access(StrEnum):
    PUBLIC = "public"
    CITIZEN = "citizen"
    OFFICER = "officer"
    ADMIN = "admin"
    API_PUBLIC = "api_public"
    API_USER = "api_user"
    INTEGRATOR = "integrator"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class Rule:
    access: Access
    capability: str | None = None
    obj: str | None = None
    method: str = "GET"
    expect: Mapping[str, str] = field(default_factory=dict)
    reason: str = ""


def public(**kw) -> Rule:
    return Rule(Access.PUBLIC, **kw)


def citizen(**kw) -> Rule:
    return Rule(Access.CITIZEN, **kw)


def officer(capability: str, **kw) -> Rule:
    return Rule(Access.OFFICER, capability=capability, **kw)


def exempt(reason: str) -> Rule:
    return Rule(Access.EXEMPT, reason=reason)


OFFICER_ROLES = ("officer_nocap", "officer_other", "officer", "admin")
# A file one may not see answers like a missing one, even to anonymous users (no login hint).
FILE_EXPECT = {"anon": "404"}
CASHIERS_TOO = {"officer": "ok", "admin": "ok"}
ALLAUTH = "allauth internals (signup closed, email/phone flows unused); tests/accounts"

POLICY: dict[str, Rule] = {
    # --- Portal and probes ---------------------------------------------------------------
    "portal:home": public(),
    "portal:manifest": public(),
    "portal:service_worker": public(),
    "portal:offline": public(),
    "healthz": public(),
    "readyz": public(),
    "set_language": public(method="POST"),
    "organizations:province_options": public(),
    "organizations:region_children": public(obj="region"),
    # --- Accounts (our views) ---------------------------------------------------------------
    "accounts:signup": public(),
    "accounts:signup_confirm": public(),
    "accounts:signup_resend": public(method="POST"),
    "accounts:profile": citizen(),
    "accounts:export": citizen(),
    # Officer accounts are closed by an administrator, not by their holder.
    "accounts:delete": citizen(expect=dict.fromkeys(OFFICER_ROLES, "403")),
    # --- allauth -------------------------------------------------------------------------
    "account_login": public(),
    "account_logout": public(),
    "account_inactive": exempt(ALLAUTH),
    "account_signup": exempt("allauth signup is closed; tests/accounts/test_login.py"),
    "account_reauthenticate": exempt(ALLAUTH),
    "account_email": exempt(ALLAUTH),
    "account_email_verification_sent": exempt(ALLAUTH),
    "account_change_password": citizen(),
    "account_set_password": exempt(ALLAUTH),
    "account_reset_password": public(),
    "account_confirm_login_code": exempt(ALLAUTH),
    "account_confirm_email": exempt(ALLAUTH),
    "account_verify_phone": exempt(ALLAUTH),
    "account_change_phone": exempt(ALLAUTH),
    "account_reset_password_from_key_done": exempt(ALLAUTH),
    "account_reset_password_from_key": exempt(ALLAUTH),
    "account_reset_password_done": exempt(ALLAUTH),
    "mfa_index": citizen(),
    "mfa_authenticate": exempt("second step of login; tests/accounts/test_login.py"),
    "mfa_reauthenticate": exempt(ALLAUTH),
    "mfa_activate_totp": exempt("officer TOTP set-up; tests/accounts/test_login.py"),
    "mfa_deactivate_totp": exempt("refused to officers; tests/accounts/test_login.py"),
    "mfa_view_recovery_codes": exempt(ALLAUTH),
    "mfa_generate_recovery_codes": exempt(ALLAUTH),
    "mfa_download_recovery_codes": exempt(ALLAUTH),
    # --- Notifications -------------------------------------------------------------------
    "notifications:inbox": citizen(),
    "notifications:mark_read": citizen(obj="notification", method="POST"),
    "notifications:mark_all_read": citizen(method="POST"),
    # --- Catalogue -----------------------------------------------------------------------
    "catalog:home": public(),
    "catalog:detail": public(obj="published_service"),
    "catalog_office:list": officer(perms.CATALOG_EDIT),
    "catalog_office:create": officer(perms.CATALOG_EDIT),
    "catalog_office:edit": officer(perms.CATALOG_EDIT, obj="service"),
    "catalog_office:publish": officer(perms.CATALOG_EDIT, obj="service", method="POST"),
    "catalog_office:complaint_handling": officer(perms.CATALOG_EDIT, obj="service", method="POST"),
    "catalog_office:history": officer(perms.CATALOG_EDIT, obj="service"),
    "catalog_office:version": officer(perms.CATALOG_EDIT, obj="service_version"),
    "catalog_office:pledge": officer(perms.CATALOG_EDIT, obj="agency"),
    # --- Applications (objects to be added with the module) --------------------------------
    "applications:mine": citizen(),
    "applications:start": citizen(),
    "applications:detail": citizen(),
    "applications:edit": citizen(),
    "applications:revise": citizen(),
    "applications_office:queue": officer(perms.APPLICATION_PROCESS),
    "applications_office:detail": officer(perms.APPLICATION_PROCESS),
    "applications_office:act": officer(perms.APPLICATION_PROCESS, method="POST"),
    "applications_office:counter_revise": officer(perms.APPLICATION_COUNTER),
    "applications_office:counter": officer(perms.APPLICATION_COUNTER),
    "applications_office:counter_file": officer(perms.APPLICATION_COUNTER),
    "applications_office:services": officer(perms.CATALOG_EDIT),
    "applications_office:form_editor": officer(perms.CATALOG_EDIT),
    "applications_office:workflow_editor": officer(perms.CATALOG_EDIT),
    # --- Satisfaction surveys (objects to be added with the module) ------------------------
    "surveys:home": public(),
    "surveys:respond": public(),  # the invitation token is the credential
    "surveys:kiosk": public(),  # counter tablet of an agency
    "surveys_office:report": officer(perms.DASHBOARD_VIEW),
    "surveys_office:export": officer(perms.DASHBOARD_VIEW),
    "surveys_office:import": officer(perms.DASHBOARD_VIEW),
    "surveys_office:kiosks": officer(perms.DASHBOARD_VIEW),
    "surveys_office:kiosk_deactivate": officer(perms.DASHBOARD_VIEW, method="POST"),
    # The weighting convention is a government-wide choice: not for a head of agency.
    "surveys_office:weight": officer(
        perms.DASHBOARD_VIEW, expect={"officer": "404", "officer_other": "404"}
    ),
    # --- Complaints, citizen and public pages (tests/complaints_portal) ---------------------
    "complaints:home": public(),
    "complaints:map": public(),
    "complaints:map_data": public(),
    "complaints:report": public(),  # guests may report
    "complaints:photo_upload": public(method="POST"),
    "complaints:duplicates": public(),
    "complaints:submitted": public(),  # bound to the session that filed
    "complaints:track_form": public(),
    "complaints:track": public(),  # anyone with the number; no personal data
    "complaints:mine": citizen(),
    "complaints:mine_detail": citizen(),
    "complaints:guest_entry": public(),  # the guest token is the credential
    "complaints:guest_detail": public(),  # needs the token from the guest link in the session
    "complaints:detail": public(),
    "complaints:support": citizen(method="POST"),
    "complaints:follow": citizen(method="POST"),
    # --- Back office ---------------------------------------------------------------------
    "backoffice:home": officer(perms.BACKOFFICE_VIEW),
    # --- Complaints, back office (tests/complaints_office) ------------------------------------
    "complaints_office:queue": officer(perms.COMPLAINT_READ),
    "complaints_office:detail": officer(perms.COMPLAINT_READ),
    "complaints_office:act": officer(perms.COMPLAINT_READ, method="POST"),
    "complaints_office:reveal": officer(perms.REPORTER_IDENTITY_VIEW, method="POST"),
    "complaints_office:bulk_dispatch": officer(perms.COMPLAINT_TRIAGE, method="POST"),
    # --- Files, documents, payments ------------------------------------------------------
    "files:file": citizen(obj="file", expect=FILE_EXPECT),
    "files:thumbnail": citizen(obj="file", expect=FILE_EXPECT),
    "documents:verify": public(obj="document"),
    "documents:download": citizen(obj="document"),
    # The cashier of the bill's agency (and the superuser) see it too.
    "payments:bill": citizen(obj="bill", expect=CASHIERS_TOO),
    "payments:simulate": citizen(obj="bill", expect=CASHIERS_TOO),
    "payments:cashier_list": officer(perms.PAYMENT_CONFIRM),
    "payments:cashier_confirm": officer(perms.PAYMENT_CONFIRM, obj="bill"),
    "payments:callback": Rule(
        Access.INTEGRATOR,
        reason="HMAC-signed provider callback; tests/payments/test_views.py",
    ),
    # --- API -----------------------------------------------------------------------------
    "api-schema": Rule(Access.API_PUBLIC),
    "api-docs": public(),
    "api-me": Rule(Access.API_USER),
    "api-regions": Rule(Access.API_PUBLIC),
    "api-governments": Rule(Access.API_PUBLIC),
    "api-government-agencies": Rule(Access.API_PUBLIC, obj="government"),
    "api-tokens": Rule(Access.API_USER),
    "api-token": Rule(Access.API_USER, method="DELETE", obj="own_token"),
    "api-complaints": Rule(Access.API_PUBLIC),  # POST: tests/api/test_complaints_api.py
    "api-complaints-map": Rule(Access.API_PUBLIC),
    "api-complaint-track": Rule(Access.API_PUBLIC),
    "api-complaint": Rule(Access.API_PUBLIC),
    "api-my-complaints": Rule(Access.API_USER),
    "^api/": exempt("catch-all JSON 404 for unknown API paths; tests/api/test_errors.py"),
    # --- Open311 GeoReport v2 (reads public; POST needs an open311 key: tests/open311) ---
    "open311:discovery": Rule(Access.API_PUBLIC),
    "open311:services": Rule(Access.API_PUBLIC),
    "open311:service": Rule(Access.API_PUBLIC),
    "open311:requests": Rule(Access.API_PUBLIC),
    "open311:request": Rule(Access.API_PUBLIC),
}

# Patterns covered as a class by the start of their route.
PREFIX_POLICY: dict[str, Rule] = {
    "admin/": Rule(Access.ADMIN, reason="Django admin: index and changelists in test_admin"),
}


def rule_for(key: str, route: str) -> Rule | None:
    """The rule of a pattern (by name or route), or of the prefix class it falls in."""
    if key in POLICY:
        return POLICY[key]
    for prefix, rule in PREFIX_POLICY.items():
        if route.startswith(prefix):
            return rule
    return None
