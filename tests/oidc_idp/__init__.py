"""Start the test OpenID Connect provider (``serve.py``) in a process of its own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Provider:
    url: str  # the issuer: http://127.0.0.1:PORT/openid
    client_id: str
    client_secret: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def oidc_provider(*, redirect_uris: list[str], people: list[dict[str, str]]) -> Iterator[Provider]:
    port = _free_port()
    secret = "test-client-secret-not-real"
    config = {
        "port": port,
        "client_id": "socialguard-test",
        "client_secret": secret,
        "redirect_uris": redirect_uris,
        "people": people,
    }
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "OIDC_IDP_DB": str(Path(tmp) / "idp.sqlite3"),
            "PYTHONPATH": str(ROOT),
        }
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.oidc_idp.serve", json.dumps(config)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if not line.startswith("READY"):
                process.kill()
                raise RuntimeError(f"the test OIDC provider did not start: {process.stderr.read()}")  # type: ignore[union-attr]
            yield Provider(f"http://127.0.0.1:{port}/openid", "socialguard-test", secret)
        finally:
            process.terminate()
            process.wait(timeout=10)
