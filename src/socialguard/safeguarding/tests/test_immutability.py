"""The account is never edited and the chronology is append-only, enforced by the models
themselves: a careless view, the admin or a shell cannot change what was reported (Impero)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from socialguard.safeguarding import services
from socialguard.safeguarding.models import (
    Concern,
    ConcernEntry,
    ConcernEvidence,
    ImmutableRecordError,
)
from socialguard.safeguarding.tests.conftest import ACCOUNT, CHILD_WORDS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [("account", "Something milder"), ("child_words", "He is fine"), ("reference", "SG-1")],
)
def test_save_refuses_to_change_what_was_reported(cast, concern, field, value):
    setattr(concern, field, value)
    with pytest.raises(ImmutableRecordError):
        concern.save()
    with pytest.raises(ImmutableRecordError):
        concern.save(update_fields=[field])
    stored = Concern.objects.get(pk=concern.pk)
    assert (stored.account, stored.child_words) == (ACCOUNT, CHILD_WORDS)


def test_save_refuses_to_change_the_reporter(cast, concern):
    concern.reporter = cast.dsl
    with pytest.raises(ImmutableRecordError):
        concern.save()


def test_a_queryset_update_cannot_rewrite_the_account(concern):
    with pytest.raises(ImmutableRecordError):
        Concern.objects.filter(pk=concern.pk).update(account="rewritten")
    assert Concern.objects.get(pk=concern.pk).account == ACCOUNT


def test_other_fields_still_change_through_the_services(cast, concern):
    services.concern_close(concern=concern, by=cast.dsl, outcome="Resolved in school.")
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.CLOSED


def test_entries_cannot_be_edited_or_deleted(cast, concern):
    entry = services.concern_entry_add(concern=concern, by=cast.dsl, body="Spoke to mum.")
    entry.body = "Did not speak to mum."
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.delete()
    with pytest.raises(ImmutableRecordError):
        ConcernEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ImmutableRecordError):
        ConcernEntry.objects.filter(pk=entry.pk).update(body="gone")
    assert ConcernEntry.objects.get(pk=entry.pk).body == "Spoke to mum."


def test_a_concern_cannot_be_deleted_outside_retention(concern):
    with pytest.raises(ImmutableRecordError):
        concern.delete()
    with pytest.raises(ImmutableRecordError):
        Concern.objects.filter(pk=concern.pk).delete()
    assert Concern.objects.filter(pk=concern.pk).exists()


def test_an_uploaded_file_is_fingerprinted_and_checked(cast, concern):
    upload = SimpleUploadedFile("chat.png", b"\x89PNG screenshot bytes", content_type="image/png")
    evidence = services.concern_evidence_add(
        concern=concern, by=cast.dsl, upload=upload, description="Screenshot of the chat"
    )
    import hashlib

    assert evidence.sha256 == hashlib.sha256(b"\x89PNG screenshot bytes").hexdigest()
    assert "chat" not in evidence.file.name  # the stored name says nothing about anyone
    assert ConcernEvidence.objects.get(pk=evidence.pk).verify()
    with pytest.raises(ImmutableRecordError):
        evidence.delete()
    # Someone swaps the file on disk: the page says it no longer matches.
    name = evidence.file.name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"something else"))
    assert not ConcernEvidence.objects.get(pk=evidence.pk).verify()
