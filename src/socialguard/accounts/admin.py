from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from socialguard.accounts.models import Organisation, RoleAssignment, School, User
from socialguard.audit.services import audit_record
from socialguard.core.admin import (
    AuditedAdminMixin,
    OrganisationScopedAdmin,
    ScopedForeignKeysMixin,
)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_field = "pk"
    list_display = ("name", "kind", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(School)
class SchoolAdmin(OrganisationScopedAdmin):
    list_display = ("name", "organisation", "phone")
    list_filter = ("organisation",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "school", "year_group", "starts_on", "ends_on")


@admin.register(User)
class UserAdmin(AuditedAdminMixin, ScopedForeignKeysMixin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "position", "school", "line_manager")
    list_filter = ("organisation", "school", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Organisation",
            {"fields": ("organisation", "school", "position", "line_manager", "left_on")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            "Organisation",
            {
                "fields": (
                    "organisation",
                    "school",
                    "first_name",
                    "last_name",
                    "email",
                    "position",
                    "line_manager",
                )
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request).select_related("school", "line_manager")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation_id=request.user.organisation_id)  # type: ignore[union-attr]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, RoleAssignment):
                instance.organisation_id = form.instance.organisation_id
            instance.save()
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="admin.roleassignment.change",
                target=form.instance,
                details={
                    "role": getattr(instance, "role", ""),
                    "ends_on": str(getattr(instance, "ends_on", "")),
                },
            )
        for obj in formset.deleted_objects:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="admin.roleassignment.delete",
                target=form.instance,
                details={"role": getattr(obj, "role", "")},
            )
            obj.delete()
        formset.save_m2m()
