"""Admin base classes: scope every list to the administrator's organisation and audit every
change. Deployment administrators (superusers) see all organisations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from socialguard.audit.services import audit_record


class AuditedAdminMixin:
    """Writes one audit event per change made in the admin, inside the admin's transaction."""

    audit_prefix = "admin"

    def _code(self, obj: models.Model, verb: str) -> str:
        return f"{self.audit_prefix}.{obj._meta.model_name}.{verb}"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        changed = sorted(form.changed_data) if change else []
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=self._code(obj, "change" if change else "create"),
            target=obj,
            details={"fields": [f for f in changed if "password" not in f]},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action=self._code(obj, "delete"), target=obj)  # type: ignore[arg-type]
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ScopedForeignKeysMixin:
    """Choices in foreign-key fields come only from the administrator's own organisation."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if request.user.is_superuser or field is None or field.queryset is None:
            return field
        model = db_field.related_model
        org_id = request.user.organisation_id  # type: ignore[union-attr]
        if model.__name__ == "Organisation":
            field.queryset = field.queryset.filter(pk=org_id)
        elif any(f.name == "organisation" for f in model._meta.fields):
            field.queryset = field.queryset.filter(organisation_id=org_id)
        return field


class OrganisationScopedAdmin(AuditedAdminMixin, ScopedForeignKeysMixin, admin.ModelAdmin):
    """Lists only the administrator's organisation; the organisation field is fixed to theirs."""

    organisation_field = "organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.organisation_field: request.user.organisation_id})  # type: ignore[union-attr]
