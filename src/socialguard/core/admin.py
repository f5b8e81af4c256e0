"""Admin base classes: scope every list and every choice to the administrator's organisation,
audit every change, and never delete (nor list) records the retention rules keep.
Deployment administrators (superusers) see all organisations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import ForeignObjectRel, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from socialguard.audit.services import audit_record

RETAINED = (
    "{obj} has records that the retention rules keep (in the safeguarding record, cases, the "
    "sites, the audit trail or elsewhere), so it cannot be deleted here. "
)
RETAINED_PERSON = (
    "A leaver is ended, not deleted: set the date they left, and their roles end with it."
)


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


def _scoped(queryset: QuerySet[Any], org_id: int | None) -> QuerySet[Any]:
    model = queryset.model
    if model.__name__ == "Organisation":
        return queryset.filter(pk=org_id)
    if any(f.name == "organisation" for f in model._meta.fields):
        return queryset.filter(organisation_id=org_id)
    return queryset


class ScopedForeignKeysMixin:
    """Choices in foreign-key and many-to-many fields come only from the administrator's own
    organisation (forms and inlines alike); a posted id outside them is 'not a valid choice'."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if request.user.is_superuser or field is None or getattr(field, "queryset", None) is None:
            return field
        field.queryset = _scoped(field.queryset, request.user.organisation_id)  # type: ignore[union-attr]
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if request.user.is_superuser or field is None or getattr(field, "queryset", None) is None:
            return field
        field.queryset = _scoped(field.queryset, request.user.organisation_id)  # type: ignore[union-attr]
        return field


class RetainedRecordsMixin:
    """No admin page lists what its viewer may not open, and nothing with records is deleted.

    Django's delete pages list every related object (a person's breach cases, the concerns a
    pupil is the subject of, a school's references): here they list only the object itself.
    Deleting an object that anything else refers to, besides what goes with it
    (``deletable_with``: a person's own roles), is refused with a plain reason that names no
    record; the bulk delete action, which would go around this, is not offered."""

    deletable_with: tuple[str, ...] = ()
    retained_hint = ""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions

    def delete_refusal(self, obj: models.Model) -> str | None:
        """Why ``obj`` may not be deleted, or None when nothing but itself would go."""
        model = type(obj)
        collector = NestedObjects(using=router.db_for_write(model))
        collector.collect([obj])
        allowed = {model._meta.label_lower, *self.deletable_with}
        kept = bool(collector.protected) or any(
            instances and m._meta.label_lower not in allowed and not m._meta.auto_created
            for m, instances in collector.data.items()
        )
        # References that would be set to null (a line manager's reports, a school's people).
        kept = kept or any(
            bool(objs) for batches in collector.field_updates.values() for objs in batches
        )
        # References the database does not enforce (the audit trail's actor and organisation).
        relations = [
            f
            for f in obj._meta.get_fields(include_hidden=True)
            if isinstance(f, ForeignObjectRel) and (f.one_to_many or f.one_to_one)
        ]
        for relation in relations:
            if kept:
                break
            related = relation.related_model
            if relation.on_delete is models.DO_NOTHING and isinstance(related, type):
                manager = related._base_manager
                kept = manager.filter(**{relation.field.name: obj}).exists()
        if not kept:
            return None
        return RETAINED.format(obj=obj) + self.retained_hint

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, ...]:
        objs = list(objs)
        model_count: dict[str, int] = {}
        for obj in objs:
            name = str(obj._meta.verbose_name_plural)
            model_count[name] = model_count.get(name, 0) + 1
        return [str(obj) for obj in objs], model_count, set(), []

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is not None and self.has_delete_permission(request, obj):  # type: ignore[attr-defined]
            reason = self.delete_refusal(obj)
            if reason is not None:
                self.message_user(request, reason, messages.ERROR)  # type: ignore[attr-defined]
                opts = obj._meta
                return redirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if self.delete_refusal(obj) is not None:  # checked again inside the transaction
            raise PermissionDenied(RETAINED.format(obj=obj))
        super().delete_model(request, obj)  # type: ignore[misc]


class OrganisationScopedAdmin(
    RetainedRecordsMixin, AuditedAdminMixin, ScopedForeignKeysMixin, admin.ModelAdmin
):
    """Lists only the administrator's organisation; the organisation field offers only theirs."""

    organisation_field = "organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.organisation_field: request.user.organisation_id})  # type: ignore[union-attr]

    def get_list_filter(self, request: HttpRequest) -> Any:
        """An organisation's administrator filters by nothing outside their organisation."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return tuple(f for f in filters if f != "organisation")
