"""Log lines for the tests: Squid native, NCSA combined and CSV, at chosen times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # in term; GMT, so local time is UTC


def at(day: int = 0, minutes: float = 0, hour: int = 10) -> datetime:
    return MONDAY.replace(hour=hour) + timedelta(days=day, minutes=minutes)


def squid(
    when: datetime, url: str, user: str = "-", ip: str = "10.0.0.5", method: str = "GET"
) -> str:
    code = "TCP_TUNNEL/200" if method == "CONNECT" else "TCP_MISS/200"
    return (
        f"{when.timestamp():.3f} {120:6d} {ip} {code} 2048 {method} {url} {user} "
        "HIER_DIRECT/198.51.100.7 text/html"
    )


def combined(
    when: datetime, url: str, user: str = "-", ip: str = "10.0.0.5", method: str = "GET"
) -> str:
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S +0000")
    return f'{ip} - {user} [{stamp}] "{method} {url} HTTP/1.1" 200 512 "-" "Mozilla/5.0"'


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def social_minutes(user: str, minutes: int, day: int = 0, start: int = 0) -> list[str]:
    """One Facebook request in each of ``minutes`` distinct minutes (two in every other)."""
    lines = []
    for m in range(minutes):
        lines.append(squid(at(day, start + m + 0.1), "http://www.facebook.com/", user))
        if m % 2:
            lines.append(squid(at(day, start + m + 0.5), "http://m.facebook.com/feed", user))
    return lines
