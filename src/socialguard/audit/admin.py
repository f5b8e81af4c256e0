from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from socialguard.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nothing in socialguard updates or deletes an audit event."""

    list_display = ("at", "actor_repr", "action", "target_repr", "chain", "seq")
    list_filter = ("action",)
    search_fields = ("action", "target_repr", "actor_repr")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # The same need to know as /audit/: the organisation's events, less those about records
        # this person may not open (safeguarding, cases, media enquiries).
        from socialguard.audit.selectors import audit_events_for

        visible = audit_events_for(user=request.user).values("pk")
        return queryset.filter(pk__in=visible)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
