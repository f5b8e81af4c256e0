"""One retention ladder for every app: lock, refuse what is not due, audit the fact, delete."""

from __future__ import annotations

import pytest

from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError
from socialguard.core.retention import delete_for_retention
from socialguard.safeguarding.models import Concern
from socialguard.safeguarding.tests.conftest import record

pytestmark = pytest.mark.django_db


def _delete(concern: Concern, *, due: bool) -> None:
    delete_for_retention(
        Concern.objects.all(),
        pk=concern.pk,
        by=None,
        is_due=lambda locked: due,
        refusal="Not yet.",
        action="safeguarding.concern.deleted_for_retention",
        clauses=("A.2.3",),
        fact=lambda locked: {"reference": locked.reference},
    )


def test_a_record_not_due_is_refused_and_nothing_is_written(cast):
    concern = record(cast)
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError, match="Not yet"):
        _delete(concern, due=False)
    assert Concern.objects.filter(pk=concern.pk).exists()
    assert AuditEvent.objects.count() == before


def test_a_due_record_leaves_its_fact_and_goes_append_only_parts_and_all(cast):
    concern = record(cast)  # its entries and pupils are append-only
    _delete(concern, due=True)
    assert not Concern.objects.filter(pk=concern.pk).exists()
    event = AuditEvent.objects.get(action="safeguarding.concern.deleted_for_retention")
    assert event.details == {"reference": concern.reference}
    assert event.target_repr == concern.reference
