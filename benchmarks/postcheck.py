"""How fast does "Check my post" answer? (issue 13: within a second.)

Times ``socialguard.postcheck.checks.draft_check``, the whole check the page and the API run
(the screening engine with ``audience=personal`` and all its stages, the advice, the rewrite),
on 300 drafts against a roster the size of a two-school federation (420 pupils, 60 staff),
then the photo check on a phone-sized and a camera-sized photo. The service adds one cached
roster read and one UPDATE of the day's count around it. The first call, which loads the
models, is timed on its own.

    .venv/bin/python benchmarks/postcheck.py
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from socialguard.postcheck.checks import draft_check
from socialguard.screening.base import Person, Roster

FIRST = [
    "Oliver",
    "Amelia",
    "Noah",
    "Isla",
    "Leo",
    "Freya",
    "Jack",
    "Ava",
    "Harry",
    "Mia",
    "George",
    "Lily",
    "Arlo",
    "Ivy",
    "Alfie",
    "Rosie",
]
LAST = [
    "Bennett",
    "Clarke",
    "Patel",
    "Thompson",
    "Murphy",
    "Hughes",
    "Khan",
    "Evans",
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Lewis",
]
TEMPLATES = [
    "Lovely walk on the downs this morning, then tea and cake at the Old Forge.",
    "Great sports day at {school} today, so proud of {pupil}!",
    "Anyone selling tickets for Saturday? Message me on 07700 900{n:03d}.",
    "Exhausted after parents' evening, my class were stars though.",
    "Email me at j.smith@roselands-stafford.e-sussex.sch.uk for the bake sale details.",
    "{pupil}'s mum says the fete was brilliant this year.",
    "New trainers, new me. 10k on Sunday for the hospice, sponsor me!",
    "Me in my school lanyard at the county show lol",
    "Can't believe the council closed the library again, ridiculous.",
    "Happy birthday to my amazing sister, see you at the weekend x",
]


def roster() -> Roster:
    rng = random.Random(13)
    pupils = tuple(
        Person(rng.choice(FIRST), rng.choice(LAST) + ("" if i < 200 else f"-{i}"), year="4")
        for i in range(420)
    )
    staff = tuple(Person(rng.choice(FIRST), rng.choice(LAST) + "s") for _ in range(60))
    return Roster(
        organisation="Roselands & Stafford Federation",
        schools=("Roselands Infant School", "Stafford Junior School"),
        email_domains=("roselands-stafford.e-sussex.sch.uk",),
        pupils=pupils,
        staff=staff,
    )


def drafts(count: int) -> list[str]:
    rng = random.Random(7)
    schools = ("Stafford Junior School", "Roselands Infant", "the Federation")
    out = []
    for n in range(count):
        text = rng.choice(TEMPLATES).format(
            school=rng.choice(schools), pupil=f"{rng.choice(FIRST)} {rng.choice(LAST)}", n=n
        )
        out.append(text if n % 3 else f"{text} {text}")  # some longer posts
    return out


def photo(side: int) -> bytes:
    # Noise scaled up: compresses about as a photograph does (raw noise would not).
    small = Image.effect_noise((side // 8, side * 3 // 32), 64).convert("RGB")
    image = small.resize((side, side * 3 // 4), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def percentiles(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p99 = ms[min(len(ms) - 1, round(len(ms) * 0.99) - 1)]
    return f"p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"


def main() -> None:
    people = roster()
    texts = drafts(300)
    started = time.perf_counter()
    draft_check(text=texts[0], image=None, roster=people)
    print(f"first check (loads the models): {(time.perf_counter() - started) * 1000:.0f} ms")
    times, flagged = [], 0
    for text in texts:
        started = time.perf_counter()
        result = draft_check(text=text, image=None, roster=people)
        times.append(time.perf_counter() - started)
        flagged += not result.clear
    print(f"{len(texts)} drafts ({flagged} with something to change): {percentiles(times)}")
    for side in (1280, 4000):
        raw = photo(side)
        shots = []
        for _ in range(10):
            started = time.perf_counter()
            draft_check(text="At the fair", image=raw, roster=people)
            shots.append(time.perf_counter() - started)
        print(f"draft + {side}px photo ({len(raw) // 1024} KB), 10 runs: {percentiles(shots)}")


if __name__ == "__main__":
    main()
