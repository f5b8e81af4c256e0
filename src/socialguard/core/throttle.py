"""Who is asking (the visitor's address, through a trusted TLS proxy) and how often they may.

Counts live in the ``ratelimit`` cache, which is a table in the database by default: every web
process on every machine shares it without a cache server to run. Its increment is a read then
a write, so a burst of simultaneous requests may be undercounted by the few that raced; the
limit still holds to within the number of web processes.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind a TLS proxy (``BEHIND_TLS_PROXY=1``) the proxy's own
    address is in REMOTE_ADDR and the visitor's is the last one it appended to
    X-Forwarded-For; earlier entries came from the visitor and prove nothing."""
    if settings.SOCIALGUARD_BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one request for ``key`` in ``scope``; True when it is over ``limit`` in the current
    window. Keys are hashed: no address is stored as typed."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{int(time.time() // window_seconds)}"
    cache = caches[settings.SOCIALGUARD_RATELIMIT_CACHE]
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
