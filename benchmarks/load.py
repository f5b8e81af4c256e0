"""Load: 50 members posting and 5 moderators deciding at once, against the real server.

Starts ``socialguard serve`` (web server and worker) on a fresh database, on the loopback address
only; 50 members each post in a loop and 5 moderators each read the queue and approve what is
waiting, for ``--seconds`` (default 60); every loop is bounded and the script stops by itself.
It prints the requests made, the errors (anything but the expected redirect or page: must be 0),
p50 / p95 / p99 per action, and checks in the database that every post that was accepted reached
the review queue exactly once (one contribution, one review item).

    .venv/bin/python benchmarks/load.py [--seconds 60] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MEMBERS = 50
MODERATORS = 5
PASSWORD = "load-password-123"
MAX_LOOPS = 100_000  # a bound on every loop, whatever the clock says

SETUP = """
import os, django
django.setup()
from datetime import date, timedelta
from django.db import transaction
from socialguard.accounts.models import Organisation, School, User, RoleAssignment
from socialguard.community.models import CommunitySettings, Membership
from socialguard.sites.models import Site, SiteDocument, SiteRole

with transaction.atomic():
    org = Organisation.objects.create(name="Load Federation", slug="load")
    school = School.objects.create(organisation=org, name="Load School", slug="load")
    def person(username, role):
        user = User.objects.create_user(username=username, password=%(password)r, organisation=org,
                                        school=school, first_name=username.title(), last_name="Load",
                                        email=f"{username}@load.example")
        RoleAssignment.objects.create(user=user, organisation=org, school=school, role=role,
                                      year_group="4" if role == "pupil" else "")
        return user
    owner = person("owner", "staff")
    site = Site.objects.create(organisation=org, school=school, name="Load Blog", owner=owner,
                               status=Site.Status.LIVE, host=Site.Host.SCHOOL,
                               go_live_on=date.today(), closure_on=date.today() + timedelta(days=300))
    for user in (owner, person("admin2", "staff")):
        SiteRole.objects.create(site=site, user=user, role="administrator")
    for n in range(%(moderators)d):
        SiteRole.objects.create(site=site, user=person(f"moderator{n}", "staff"), role="moderator")
    for kind in ("terms", "house_rules"):
        SiteDocument.objects.create(site=site, kind=kind, version=1, text="1. Be kind.",
                                    published_by=owner)
    CommunitySettings.objects.create(site=site)
    members = [person(f"member{n}", "pupil") for n in range(%(members)d)]
    Membership.objects.bulk_create(
        Membership(site=site, user=u, status="approved", display_name=f"Member {n}")
        for n, u in enumerate(members))
print(site.pk)
"""

COUNT = """
import json, django
django.setup()
from django.db.models import Count
from socialguard.community.models import Contribution
from socialguard.moderation.models import ReviewItem
posts = Contribution.objects.filter(body__startswith="Load post ")
bodies = list(posts.values("body").annotate(n=Count("id")).filter(n__gt=1))
items = ReviewItem.objects.filter(contribution__in=posts)
per_post = list(items.values("contribution").annotate(n=Count("id")).filter(n__gt=1))
print(json.dumps({"contributions": posts.count(), "items": items.count(),
                  "posts_without_item": posts.filter(review_items__isnull=True).count(),
                  "duplicate_bodies": len(bodies), "posts_with_two_items": len(per_post),
                  "approved": items.filter(status="approved").count()}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def _open(self, request: urllib.request.Request | str) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), ""
        except OSError:
            return 0, ""  # reset, refused or timed out: counted as an error

    def get(self, path: str) -> tuple[int, str]:
        return self._open(self.base + path)

    def post(self, path: str, data: dict[str, str]) -> int:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        return self._open(request)[0]

    def sign_in(self, username: str) -> None:
        self.get("/accounts/sign-in/")
        status = self.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"sign-in failed for {username}: {status}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[int]] = defaultdict(list)
        self.posts_accepted = 0

    def add(self, action: str, seconds: float, ok: bool, status: int) -> None:
        with self.lock:
            self.times[action].append(seconds * 1000)
            if not ok:
                self.errors[action].append(status)


def member_loop(client: Client, n: int, site: int, deadline: float, tally: Tally) -> None:
    for k in range(MAX_LOOPS):
        if time.monotonic() >= deadline:
            return
        began = time.perf_counter()
        status = client.post(
            f"/community/{site}/contribute/",
            {"kind": "post", "body": f"Load post {n}-{k}: we planted sunflowers today"},
        )
        tally.add("post", time.perf_counter() - began, status == 302, status)
        if status == 302:
            with tally.lock:
                tally.posts_accepted += 1


ITEM = re.compile(r'name="items" value="(\d+):(\d+)"')


def moderator_loop(client: Client, n: int, deadline: float, tally: Tally) -> None:
    for _ in range(MAX_LOOPS):
        if time.monotonic() >= deadline:
            return
        began = time.perf_counter()
        status, page = client.get("/moderation/")
        tally.add("queue", time.perf_counter() - began, status == 200, status)
        # Each moderator takes its own share, so two never race for one item (that race is
        # tested elsewhere: the loser is told, and nothing is decided twice).
        mine = [(i, v) for i, v in ITEM.findall(page) if int(i) % MODERATORS == n][:5]
        if not mine:
            time.sleep(0.2)
        for item, version in mine:
            if time.monotonic() >= deadline:
                return
            began = time.perf_counter()
            status = client.post(
                f"/moderation/{item}/act/", {"action": "approve", "version": version}
            )
            tally.add("decide", time.perf_counter() - began, status == 302, status)


def run(database_url: str, seconds: float, web_workers: int) -> int:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SOCIALGUARD_HOME": home,
            "SOCIALGUARD_VAR": home,
            "DJANGO_SETTINGS_MODULE": "socialguard.config.settings.dev",
            "DEBUG": "",
        }

        def quiet(*argv: str) -> str:
            done = subprocess.run(
                [PYTHON, *argv], env=env, check=True, capture_output=True, text=True
            )
            return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

        quiet("-m", "socialguard.cli", "migrate", "-v", "0")
        script = SETUP % {"members": MEMBERS, "moderators": MODERATORS, "password": PASSWORD}
        site = int(quiet("-c", script))
        port = free_port()
        argv = [PYTHON, "-m", "socialguard.cli", "serve", "--no-migrate"]
        server = subprocess.Popen(
            [*argv, "--host", "127.0.0.1", "--port", str(port), "--workers", str(web_workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        tally = Tally()
        try:
            for _ in range(150):
                if Client(base).get("/healthz")[0] == 200:
                    break
                time.sleep(0.2)
            members = [Client(base) for _ in range(MEMBERS)]
            for n, client in enumerate(members):
                client.sign_in(f"member{n}")
            moderators = [Client(base) for _ in range(MODERATORS)]
            for n, client in enumerate(moderators):
                client.sign_in(f"moderator{n}")
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=member_loop, args=(c, n, site, deadline, tally))
                for n, c in enumerate(members)
            ] + [
                threading.Thread(target=moderator_loop, args=(c, n, deadline, tally))
                for n, c in enumerate(moderators)
            ]
            random.shuffle(threads)
            wall = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=seconds + 120)
            wall = time.perf_counter() - wall
            counts = json.loads(quiet("-c", COUNT))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return report(tally, counts, wall, database_url, seconds, web_workers)


def report(
    tally: Tally, counts: dict[str, int], wall: float, url: str, seconds: float, workers: int
) -> int:
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite (WAL)"
    total = sum(len(v) for v in tally.times.values())
    errors = sum(len(v) for v in tally.errors.values())
    print(
        f"== {database}: {MEMBERS} members posting, {MODERATORS} moderators deciding, "
        f"{seconds:.0f} s ({wall:.1f} s wall), {workers} web processes, "
        f"{os.cpu_count()} CPU cores shared with the load generator"
    )
    print(f"requests {total}  ({total / wall:.0f}/s)  errors {errors}")
    for action in ("post", "queue", "decide"):
        ms = tally.times.get(action, [])
        failed = tally.errors.get(action, [])
        print(
            f"  {action:<7} {len(ms):>6} requests  errors {len(failed)}"
            f"{' ' + str(sorted(set(failed))) if failed else ''}  "
            f"p50 {percentile(ms, 50):.0f} ms  p95 {percentile(ms, 95):.0f} ms  "
            f"p99 {percentile(ms, 99):.0f} ms"
        )
    exactly_once = (
        counts["contributions"] == counts["items"] == tally.posts_accepted
        and counts["posts_without_item"] == 0
        and counts["duplicate_bodies"] == 0
        and counts["posts_with_two_items"] == 0
    )
    print(
        f"queue: {tally.posts_accepted} posts accepted, {counts['contributions']} stored, "
        f"{counts['items']} review items ({counts['approved']} approved), "
        f"{counts['posts_without_item']} without an item, {counts['posts_with_two_items']} with "
        f"two: {'every post reached the queue exactly once' if exactly_once else 'MISMATCH'}"
    )
    return 0 if errors == 0 and exactly_once else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be between 1 and 600")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/load.sqlite3"
        sys.exit(run(url, args.seconds, args.web_workers))


if __name__ == "__main__":
    main()
