"""Run the test OpenID Connect provider: ``python -m tests.oidc_idp.serve CONFIG_JSON``.

CONFIG_JSON holds ``port``, ``client_id``, ``client_secret``, ``redirect_uris`` and ``people``
(each ``username``, ``email``, ``password``). The provider's database is made afresh, an RSA key
created, then it serves until killed and prints ``READY <url>`` once it listens.
"""

from __future__ import annotations

import json
import os
import sys
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["name"] = user.get_full_name() or user.username
    return claims


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    config = json.loads(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_idp.settings"
    os.environ["OIDC_IDP_URL"] = f"http://127.0.0.1:{config['port']}"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for person in config["people"]:
        User.objects.create_user(
            username=person["username"], email=person["email"], password=person["password"]
        )
    client = Client.objects.create(
        name="socialguard",
        client_type="confidential",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
    )
    client.redirect_uris = config["redirect_uris"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))
    server = make_server(
        "127.0.0.1",
        int(config["port"]),
        get_wsgi_application(),
        server_class=_Threading,
        handler_class=_Quiet,
    )
    print(f"READY http://127.0.0.1:{config['port']}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
