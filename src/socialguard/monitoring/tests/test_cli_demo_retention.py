"""The command line's one line, the demo federation's monitoring, and the retention purge."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from socialguard.cli import main
from socialguard.monitoring.models import (
    FindingStatus,
    IngestRun,
    LogSource,
    MonitoringFinding,
    TrafficSummary,
    WeeklyTally,
)
from socialguard.monitoring.services import monitoring_purge, settings_for
from socialguard.monitoring.tests.helpers import at, social_minutes, squid, write
from socialguard.safeguarding.models import Escalation

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_cli_reads_files_into_the_default_source_and_prints_one_line(
    cast: Any, tmp_path, capsys: Any
) -> None:
    first = write(tmp_path / "mon.log", [*social_minutes(cast.teacher.username, 35), "garbage"])
    second = write(
        tmp_path / "tue.log",
        [squid(at(1, 1), "http://www.bbc.co.uk/", cast.teacher.username), "", "also bad"],
    )
    code = main(["monitoring", "ingest", str(first), str(second), "--organisation", "rs"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert len(out) == 1
    assert out[0].startswith("56 lines read, 3 skipped as bad (lines 53, 2, 3), 1 findings made, ")
    assert out[0].endswith(" lines/s")
    assert LogSource.objects.get(organisation=cast.organisation).is_default
    again = main(["monitoring", "ingest", str(first), "--organisation", "rs"])
    line = capsys.readouterr().out.strip()
    assert again == 0 and line.startswith("0 lines read, 53 already read, 0 skipped as bad")


def test_the_cli_names_an_unknown_source_and_refuses_a_bad_format(
    cast: Any, tmp_path, capsys
) -> None:
    log = write(tmp_path / "a.log", ["x"])
    assert main(["monitoring", "ingest", str(log), "--source", "Nope", "--organisation", "rs"]) == 1
    assert "No log source 'Nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["monitoring", "ingest", str(log), "--format", "apache"])


def test_the_demo_federation_has_a_source_a_6_13_week_a_6_11_edit_and_a_pupils_search(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from socialguard.core.demo import demo_federation_load

    with django_capture_on_commit_callbacks(execute=True):
        demo_federation_load()
    run = IngestRun.objects.get()
    assert run.status == "done" and run.lines_bad == 1 and run.unattributed == 1
    kinds = dict(MonitoringFinding.objects.values_list("clause", "subject__username"))
    assert kinds == {"6.13": "teacher2", "6.11": "teacher", "A.2.3": "pupil"}
    assert any("an edit cannot be seen" in n for n in run.notes)
    search = MonitoringFinding.objects.get(clause="A.2.3")
    assert Escalation.objects.filter(source_type="monitoring_finding", source_id=search.pk).exists()


def test_the_shipped_demo_log_is_the_demo_loaders_log() -> None:
    from socialguard.monitoring.demo import DEMO_LOG, demo_log

    names = {n: n for n in ("teacher", "teacher2", "ta", "contractor")}
    assert DEMO_LOG.read_text(encoding="utf-8") == demo_log(names)


def test_retention_purges_old_totals_tallies_and_triaged_findings_only(cast: Any, tmp_path) -> None:
    from socialguard.monitoring.services import ingest_file, source_default
    from socialguard.monitoring.tests.conftest import no_screening

    source = source_default(organisation=cast.organisation)
    log = write(
        tmp_path / "a.log",
        social_minutes(cast.teacher.username, 40) + social_minutes(cast.it_lead.username, 40),
    )
    ingest_file(source=source, path=log, by=None, screen=no_screening)
    triaged, still_open = MonitoringFinding.objects.order_by("pk")
    triaged.status, triaged.triaged_at = FindingStatus.FALSE_POSITIVE, at(1)
    triaged.save()
    days = settings_for(organisation=cast.organisation).retention_days
    assert monitoring_purge(organisation=cast.organisation, now=at(2)) == {
        "traffic_totals": 0,
        "weekly_tallies": 0,
        "address_leases": 0,
        "findings": 0,
    }
    later = at(0) + timedelta(days=days + 8)
    counts = monitoring_purge(organisation=cast.organisation, now=later)
    assert (
        counts["traffic_totals"] == 1 and counts["weekly_tallies"] == 2 and counts["findings"] == 1
    )
    assert list(MonitoringFinding.objects.all()) == [still_open]  # open findings stay
    assert not TrafficSummary.objects.exists() and not WeeklyTally.objects.exists()
    from socialguard.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="monitoring.retention.purge").get()
    assert event.details["findings_deleted"] == [triaged.reference]
    assert timezone.now()  # the purge takes its time from the caller
