"""Real e-mail: Django's SMTP backend, trusting the relay's own certificate authority when one
is named (a school's or a local authority's relay often has a certificate from its own CA)."""

from __future__ import annotations

import ssl

from django.conf import settings
from django.core.mail.backends import smtp
from django.utils.functional import cached_property


class EmailBackend(smtp.EmailBackend):
    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=settings.EMAIL_SSL_CA_FILE or None)
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context
