from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from socialguard.screening.cli import main


def test_jsonl_in_one_verdict_per_line_out_and_bad_lines_named(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "ring 07700 900123"}\nnot json\n'
        '{"id": "c", "text": "hello", "audience": "personal"}\n'
    )
    assert main(["--jsonl", str(source)]) == 1
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "c"]
    assert lines[0]["action"] == "review" and lines[0]["findings"][0]["category"] == "phone"
    assert "line 2" in err


def test_readable_verdict_with_roster(tmp_path: Path, capsys) -> None:
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps({"pupils": [{"first": "Oliver", "last": "Bennett", "year": "4"}]}))
    assert main(["Well done Oliver Bennett", "--roster", str(roster)]) == 0
    out = capsys.readouterr().out
    assert (
        "Action: REVIEW" in out
        and "pupil_full_name" in out
        and "Redacted: Well done [pupil]" in out
    )


def test_engine_loads_without_network_or_django(monkeypatch: pytest.MonkeyPatch) -> None:
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "from socialguard.screening import Screener\n"
        "v = Screener.default().screen('I will kill you')\n"
        "assert v.action == 'block'\n"
        "assert 'django' not in sys.modules, 'the engine imported Django'\n"
        "assert 'torch' not in sys.modules and 'sklearn' not in sys.modules\n"
    )
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert socket.socket  # the parent process is untouched
