"""The import contracts in pyproject.toml hold (the same check `make lint` runs): the seam
community -> moderation -> safeguarding / cases has no climb back, screening imports nothing of
Django, audit and core import no app."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
