"""Real e-mail over SMTP, against a local SMTP server the test starts (aiosmtpd): STARTTLS and
TLS from the first byte with the relay's own CA, sign-in to the relay, plain-text and HTML parts,
and a failure that leaves the message queued and tried again after a back-off."""

from __future__ import annotations

import email
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from socialguard.notifications.models import EmailDelivery
from socialguard.notifications.services import email_deliver
from socialguard.notifications.tasks import send_email

pytestmark = pytest.mark.django_db

BODY = (
    "A concern was recorded <today> & needs you.\n\n"
    "Open it: http://127.0.0.1:8000/safeguarding/7/\n"
)
MESSAGE = {
    "to": ["dsl@school.example"],
    "subject": "A concern needs you",
    "body": BODY,
    "organisation_id": None,
    "category": "test",
    "key": "test:smtp:1",
}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@dataclass
class Relay:
    port: int
    ca_file: str
    received: list[Message] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)


class _Handler:
    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.relay.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _certificates(tmp: Path) -> tuple[str, str, str]:
    """A throwaway CA, and a certificate it signed for 127.0.0.1."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test school relay CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    from ipaddress import ip_address

    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = tmp / "ca.pem", tmp / "relay.pem", tmp / "relay.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(paths[0]), str(paths[1]), str(paths[2])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp: Path, *, implicit_tls: bool) -> Iterator[Relay]:
    ca_file, cert_file, key_file = _certificates(tmp)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    relay = Relay(port=_free_port(), ca_file=ca_file)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and data.password == b"relay-password"
        if ok:
            relay.logins.append((data.login, data.password))
        return AuthResult(success=ok)

    tls = {"ssl_context": context} if implicit_tls else {"tls_context": context}
    controller = Controller(
        _Handler(relay),
        hostname="127.0.0.1",
        port=relay.port,
        authenticator=authenticate,
        auth_required=True,
        require_starttls=not implicit_tls,
        # aiosmtpd counts only STARTTLS as TLS; from the first byte the whole session is TLS.
        auth_require_tls=not implicit_tls,
        **tls,  # type: ignore[arg-type]
    )
    controller.start()
    try:
        yield relay
    finally:
        controller.stop()


@pytest.fixture
def starttls_relay(tmp_path: Path) -> Iterator[Relay]:
    yield from _start(tmp_path, implicit_tls=False)


@pytest.fixture
def tls_relay(tmp_path: Path) -> Iterator[Relay]:
    yield from _start(tmp_path, implicit_tls=True)


def _smtp(relay: Relay, **extra: Any) -> override_settings:
    settings = {
        "EMAIL_BACKEND": "socialguard.notifications.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": relay.port,
        "EMAIL_HOST_USER": "socialguard",
        "EMAIL_HOST_PASSWORD": "relay-password",
        "EMAIL_SSL_CA_FILE": relay.ca_file,
        "EMAIL_TIMEOUT": 5,
    }
    return override_settings(**(settings | extra))


def _parts(message: Message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()  # type: ignore[union-attr]
        for part in message.walk()
        if not part.is_multipart()
    }


def test_mail_goes_over_starttls_with_plain_text_and_html_parts(starttls_relay: Relay) -> None:
    with _smtp(starttls_relay, EMAIL_USE_TLS=True):
        assert email_deliver(**MESSAGE) == 1
    [message] = starttls_relay.received
    assert starttls_relay.logins == [(b"socialguard", b"relay-password")]
    assert message["Subject"] == "A concern needs you"
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert parts["text/plain"].replace("\r\n", "\n") == BODY
    html = parts["text/html"]
    assert "&lt;today&gt; &amp; needs you" in html
    assert '<a href="http://127.0.0.1:8000/safeguarding/7/">' in html
    assert EmailDelivery.objects.filter(key="test:smtp:1").exists()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_mail_goes_over_tls_from_the_first_byte(tls_relay: Relay) -> None:
    with _smtp(tls_relay, EMAIL_USE_SSL=True):
        assert email_deliver(**MESSAGE) == 1
    assert len(tls_relay.received) == 1


def test_a_relay_whose_certificate_is_not_trusted_is_refused(starttls_relay: Relay) -> None:
    # Without the relay's CA the certificate cannot be checked: nothing is sent in clear.
    untrusted = _smtp(starttls_relay, EMAIL_USE_TLS=True, EMAIL_SSL_CA_FILE="")
    with untrusted, pytest.raises(ssl.SSLCertVerificationError):
        email_deliver(**MESSAGE)
    assert starttls_relay.received == []


@override_settings(TASKS=DB_TASKS)
def test_a_failure_leaves_the_message_queued_and_it_is_retried(starttls_relay: Relay) -> None:
    # Given a relay that refuses the password
    with _smtp(starttls_relay, EMAIL_USE_TLS=True, EMAIL_HOST_PASSWORD="wrong"):
        before = datetime.now(UTC)
        assert send_email.call(**MESSAGE) == 0
    # Then the same message is queued again, to run after a minute, as the second try
    [queued] = DBTaskResult.objects.filter(task_path=send_email.module_path)
    assert queued.run_after is not None and queued.run_after >= before + timedelta(seconds=59)
    kwargs = queued.args_kwargs["kwargs"]
    assert kwargs["attempt"] == 2 and kwargs["key"] == MESSAGE["key"]
    assert starttls_relay.received == [] and not EmailDelivery.objects.exists()
    # When the relay takes it at the next try, it is delivered once
    with _smtp(starttls_relay, EMAIL_USE_TLS=True):
        assert send_email.call(**kwargs) == 1
        assert send_email.call(**kwargs) == 0  # the at-least-once retry of a retry sends nothing
    assert len(starttls_relay.received) == 1


@override_settings(TASKS=DB_TASKS, SOCIALGUARD_EMAIL_ATTEMPTS=3)
def test_the_last_try_fails_the_task_for_the_operator() -> None:
    port = _free_port()  # nothing listens there
    nobody = override_settings(
        EMAIL_BACKEND="socialguard.notifications.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=2,
    )
    with nobody, pytest.raises(ConnectionRefusedError):
        send_email.call(**MESSAGE, attempt=3)
    assert not DBTaskResult.objects.exists()
