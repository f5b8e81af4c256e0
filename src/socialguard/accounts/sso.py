"""Single sign-on with the school's identity provider over OpenID Connect (the authorisation
code flow with PKCE): Microsoft Entra ID, Google Workspace, or another provider by its issuer.

Each organisation configures its own provider in the browser (``single_sign_on_save``). A person
who signs in this way is matched to an existing person of that organisation by the e-mail
address the provider vouches for; nobody is created by signing in, and a leaver or a switched-off
account is refused. Password sign-in keeps working for everyone (contractors, volunteers and
governors often have no school account).

The provider's metadata and keys are read from its discovery document at each sign-in
(``authlib`` checks the ID token's signature, issuer, audience, expiry and nonce).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from authlib.jose import JsonWebKey, jwt
from authlib.jose.errors import JoseError
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from socialguard.accounts.models import Organisation, SingleSignOn, User
from socialguard.accounts.secrets import decrypt, encrypt
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode

SESSION_KEY = "sg_sso"
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,199}$")
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def issuer_of(config: SingleSignOn) -> str:
    if config.provider == SingleSignOn.Provider.MICROSOFT:
        return f"https://login.microsoftonline.com/{config.tenant}/v2.0"
    if config.provider == SingleSignOn.Provider.GOOGLE:
        return "https://accounts.google.com"
    return config.issuer.rstrip("/")


def redirect_uri(request: HttpRequest) -> str:
    """The address to register at the provider (one for every organisation)."""
    return request.build_absolute_uri(reverse("accounts:sso_callback"))


# --- Reads ------------------------------------------------------------------------------------


def single_sign_on_of(*, organisation: Organisation) -> SingleSignOn | None:
    return SingleSignOn.objects.filter(organisation=organisation).first()


def single_sign_on_any_enabled() -> bool:
    return SingleSignOn.objects.filter(enabled=True).exists()


def single_sign_on_for_email(*, email: str) -> SingleSignOn | None:
    """The provider of the organisation whose e-mail domain this is (its own list of domains,
    or the domain its provider was configured with)."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if "@" not in email or not domain:
        return None
    for config in SingleSignOn.objects.filter(enabled=True).select_related("organisation"):
        domains = {d.lower().lstrip("@") for d in config.organisation.email_domains or []}
        if config.domain:
            domains.add(config.domain.lower())
        if domain in domains:
            return config
    return None


# --- Configuration (the organisation's administrator) ----------------------------------------


def _check_issuer(issuer: str) -> str:
    parts = urlsplit(issuer.strip())
    # Plain HTTP only for a provider on this machine (a test or a development provider).
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS):
        raise ApplicationError("The issuer must be an https:// address, as the provider gives it.")
    if not parts.netloc or parts.query or parts.fragment:
        raise ApplicationError("The issuer must be a plain address such as https://id.example.org.")
    return issuer.strip().rstrip("/")


@transaction.atomic
def single_sign_on_save(
    *,
    organisation: Organisation,
    provider: str,
    client_id: str,
    client_secret: str,
    tenant: str = "",
    domain: str = "",
    issuer: str = "",
    enabled: bool = True,
    by: User,
) -> SingleSignOn:
    """Create or change the organisation's provider. An empty ``client_secret`` keeps the one
    saved before; the secret is stored encrypted and never shown again."""
    if provider not in SingleSignOn.Provider.values:
        raise ApplicationError("Choose Microsoft, Google or another OpenID Connect provider.")
    client_id, tenant, domain = client_id.strip(), tenant.strip(), domain.strip().lower()
    if not client_id or len(client_id) > 200:
        raise ApplicationError("Give the client (application) id that the provider showed you.")
    if provider == SingleSignOn.Provider.MICROSOFT and not _TENANT.match(tenant):
        raise ApplicationError(
            "Give the Microsoft directory (tenant) id, or the school's domain such as "
            "school.org.uk."
        )
    if provider == SingleSignOn.Provider.GOOGLE and not _TENANT.match(domain):
        raise ApplicationError("Give the school's Google Workspace domain, such as school.org.uk.")
    if domain and not _TENANT.match(domain):
        raise ApplicationError("The e-mail domain should look like school.org.uk.")
    issuer = _check_issuer(issuer) if provider == SingleSignOn.Provider.OTHER else ""
    config = SingleSignOn.objects.select_for_update().filter(organisation=organisation).first()
    if config is None and not client_secret:
        raise ApplicationError("Give the client secret that the provider showed you.")
    config = config or SingleSignOn(organisation=organisation)
    config.provider, config.client_id, config.enabled = provider, client_id, enabled
    config.tenant, config.domain, config.issuer = tenant[:200], domain[:200], issuer
    if client_secret:
        config.client_secret = encrypt(client_secret.strip())
    config.save()
    audit_record(
        actor=by,
        action="accounts.sso.configure",
        target=organisation,
        details={
            "provider": provider,
            "enabled": enabled,
            "client_id": client_id,
            "tenant": tenant,
            "domain": domain,
            "issuer": issuer,
            "secret_changed": bool(client_secret),
        },
    )
    return config


# --- Signing in -------------------------------------------------------------------------------


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.SOCIALGUARD_SSO_TIMEOUT_SECONDS)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError):
        raise ApplicationError(
            "The school's sign-in service did not answer. Try again in a minute, or sign in "
            "with your username and password."
        ) from None
    if not isinstance(data, dict):
        raise ApplicationError("The school's sign-in service sent something unexpected.")
    return data


def _discover(config: SingleSignOn) -> dict[str, Any]:
    issuer = issuer_of(config)
    metadata = _get_json(f"{issuer}/.well-known/openid-configuration")
    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise ApplicationError("The school's sign-in service sent something unexpected.")
    # Microsoft answers a domain with its tenant's id in the issuer; others must match exactly.
    if config.provider != SingleSignOn.Provider.MICROSOFT and metadata["issuer"] != issuer:
        raise ApplicationError("The school's sign-in service named a different issuer.")
    return metadata


def sso_start(*, config: SingleSignOn, request: HttpRequest, login_hint: str = "") -> str:
    """The provider's address to send the browser to; the state, nonce and PKCE verifier wait
    in the session for the answer."""
    metadata = _discover(config)
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    request.session[SESSION_KEY] = {
        "config": config.pk,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
    }
    params = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri(request),
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge.decode(),
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    if config.provider == SingleSignOn.Provider.GOOGLE and config.domain:
        params["hd"] = config.domain
    return f"{metadata['authorization_endpoint']}?{urlencode(params)}"


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, code=ErrorCode.FORBIDDEN)


def _claims(config: SingleSignOn, request: HttpRequest, code: str, pending: dict[str, Any]) -> Any:
    metadata = _discover(config)
    try:
        response = requests.post(
            metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri(request),
                "client_id": config.client_id,
                "client_secret": decrypt(config.client_secret),
                "code_verifier": pending["verifier"],
            },
            timeout=settings.SOCIALGUARD_SSO_TIMEOUT_SECONDS,
        )
        tokens = response.json() if response.ok else {}
    except (requests.RequestException, ValueError):
        tokens = {}
    id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
    if not isinstance(id_token, str):
        raise _refuse(
            "The school's sign-in service did not confirm who you are. Try again, or sign in "
            "with your username and password."
        )
    try:
        keys = JsonWebKey.import_key_set(_get_json(metadata["jwks_uri"]))
        claims = jwt.decode(
            id_token,
            keys,
            claims_options={
                "iss": {"essential": True, "value": metadata["issuer"]},
                "aud": {"essential": True, "value": config.client_id},
                "nonce": {"essential": True, "value": pending["nonce"]},
                "exp": {"essential": True},
            },
        )
        claims.validate(leeway=60)
    except (JoseError, ValueError, TypeError, KeyError):
        raise _refuse(
            "The answer from the school's sign-in service could not be checked."
        ) from None
    return claims


def _email_of(config: SingleSignOn, claims: Any) -> str:
    email = claims.get("email") or ""
    if not email and config.provider == SingleSignOn.Provider.MICROSOFT:
        # Entra ID sends the e-mail only when asked to; the sign-in name is the address.
        email = claims.get("preferred_username") or ""
    if not isinstance(email, str) or "@" not in email:
        raise _refuse("The school's sign-in service did not give your e-mail address.")
    if claims.get("email_verified") is False:
        raise _refuse("The school's sign-in service has not confirmed your e-mail address.")
    if config.provider == SingleSignOn.Provider.GOOGLE and claims.get("hd") != config.domain:
        raise _refuse(f"Sign in with your {config.domain} account, not a personal one.")
    return email.strip()


def sso_finish(*, request: HttpRequest, state: str, code: str) -> User:
    """The person the provider vouched for, matched by e-mail within the organisation."""
    pending = request.session.pop(SESSION_KEY, None)
    if not isinstance(pending, dict) or not state or not code:
        raise ApplicationError(
            "This sign-in link has expired or was not started here. Start again from the "
            "sign-in page."
        )
    if not secrets.compare_digest(str(pending.get("state", "")), state):
        raise ApplicationError(
            "This sign-in answer does not match. Start again from the sign-in page."
        )
    config = (
        SingleSignOn.objects.filter(pk=int(pending.get("config") or 0), enabled=True)
        .select_related("organisation")
        .first()
    )
    if config is None:
        raise ApplicationError("Signing in with the school account is switched off.")
    email = _email_of(config, _claims(config, request, code, pending))
    people = list(
        User.objects.filter(organisation=config.organisation, email__iexact=email, is_active=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=date.today()))
        .exclude(is_superuser=True)[:2]
    )
    if len(people) != 1:
        raise _refuse(
            f"Nobody at {config.organisation} has the e-mail address {email} here"
            + (" (it belongs to more than one account)" if people else "")
            + ". Ask your administrator to add it to your account; nobody is created by "
            "signing in."
        )
    return people[0]
