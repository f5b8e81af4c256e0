"""The admin for organisations, schools, people and their roles.

An organisation's administrator (the administrator role with ``is_staff``) manages only their
own organisation's people, schools, positions, reporting lines and roles. Only a deployment
administrator (``socialguard createadmin``: a superuser) grants ``is_superuser``, ``is_staff``,
permissions or groups: those fields are not in an organisation administrator's forms, and a
POST that names them anyway is refused and audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from socialguard.accounts import mfa, services
from socialguard.accounts.models import (
    SAFEGUARDING_ROLES,
    Organisation,
    Role,
    RoleAssignment,
    School,
    User,
)
from socialguard.accounts.selectors import has_role
from socialguard.audit.services import audit_record
from socialguard.core.admin import (
    RETAINED_PERSON,
    AuditedAdminMixin,
    OrganisationScopedAdmin,
    RetainedRecordsMixin,
    ScopedForeignKeysMixin,
)

# Granted by a deployment administrator only.
PRIVILEGED_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")
# People whose password, e-mail and username an organisation's administrator does not change:
# signing in as them would open the safeguarding record, the cases or the admin itself.
GUARDED_ROLES = (*SAFEGUARDING_ROLES, Role.HEAD_TEACHER, Role.GOVERNOR, Role.ADMINISTRATOR)
GUARDED_FIELDS = ("email", "username")


def _guarded(person: User, viewer: Any) -> bool:
    """Whether ``viewer`` may not take over ``person``'s sign-in (their own is theirs)."""
    if viewer.is_superuser or person.pk == viewer.pk:
        return False
    return person.is_staff or person.is_superuser or has_role(person, *GUARDED_ROLES)


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
    retained_hint = "A school keeps its people, roles and records for as long as they are kept."


class RoleAssignmentFormSet(BaseInlineFormSet):
    """A role is at a school of the person's own organisation, whoever the viewer is."""

    def clean(self) -> None:
        super().clean()
        person = self.instance
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue
            if person.organisation_id is None:
                raise ValidationError("Give the person an organisation before assigning a role.")
            school = form.cleaned_data.get("school")
            if school is not None and school.organisation_id != person.organisation_id:
                form.add_error("school", "Choose a school of the person's own organisation.")


class RoleAssignmentInline(ScopedForeignKeysMixin, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    formset = RoleAssignmentFormSet
    extra = 0
    fields = ("role", "school", "year_group", "starts_on", "ends_on", "confirmation")
    readonly_fields = ("confirmation",)

    @admin.display(description="Given and confirmed")
    def confirmation(self, obj: RoleAssignment) -> str:
        if obj.pk is None:
            return ""
        given = f"Given {timezone.localtime(obj.granted_at):%d %b %Y}"
        if obj.granted_by_id:
            given += f" by {obj.granted_by}"
        if obj.role not in SAFEGUARDING_ROLES:
            return given
        if obj.confirmed_at is not None:
            who = f" by {obj.confirmed_by}" if obj.confirmed_by_id else ""
            return f"{given}; confirmed{who}: opens every concern"
        return format_html(
            "{}; waiting for an existing lead or the head teacher to confirm: opens only the "
            "concerns recorded since {:%d %b %Y %H:%M}",
            given,
            timezone.localtime(obj.began_at),
        )


@admin.register(User)
class UserAdmin(RetainedRecordsMixin, AuditedAdminMixin, ScopedForeignKeysMixin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "position", "school", "line_manager")
    list_filter = (
        ("organisation", RelatedOnlyFieldListFilter),
        ("school", RelatedOnlyFieldListFilter),
        "is_active",
    )
    search_fields = ("username", "first_name", "last_name", "email")
    inlines = [RoleAssignmentInline]
    actions = ["reset_two_step_sign_in"]
    deletable_with = ("accounts.roleassignment",)
    retained_hint = RETAINED_PERSON
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

    @admin.action(description="Reset two-step sign-in (the person sets it up again)")
    def reset_two_step_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A lost phone: clear the person's second steps and recovery codes. Each reset is
        audited and the person is told by e-mail (accounts.mfa.mfa_reset)."""
        assert isinstance(request.user, User)
        done = 0
        for person in queryset:
            if not self._may_touch(request, person):
                continue
            mfa.mfa_reset(user=person, by=request.user)
            done += 1
        self.message_user(
            request,
            f"Two-step sign-in reset for {done} {'person' if done == 1 else 'people'}; "
            "each was told by e-mail.",
            messages.SUCCESS,
        )

    # --- Whom an organisation's administrator sees and changes -------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request).select_related("school", "line_manager")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            organisation_id=request.user.organisation_id,  # type: ignore[union-attr]
            is_superuser=False,
        )

    def _may_touch(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return bool(
            not obj.is_superuser and obj.organisation_id == request.user.organisation_id  # type: ignore[union-attr]
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._may_touch(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def get_list_filter(self, request: HttpRequest) -> Any:
        if request.user.is_superuser:
            return self.list_filter
        return tuple(f for f in self.list_filter if f[0] != "organisation")

    # --- What they may set --------------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in PRIVILEGED_FIELDS]},
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        # Their own organisation, always; a guarded person's sign-in stays theirs.
        extra: tuple[str, ...] = ("organisation",)
        if obj is not None and _guarded(obj, request.user):
            extra += GUARDED_FIELDS
        return readonly + extra

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else []  # roles once the person exists

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and not request.user.is_superuser:
            named = sorted(f for f in PRIVILEGED_FIELDS if f in request.POST)
            if named:
                target = self.get_object(request, unquote(object_id)) if object_id else None
                with transaction.atomic():
                    audit_record(
                        actor=request.user,  # type: ignore[arg-type]
                        action="admin.user.privilege_refused",
                        target=target,
                        details={"fields": named},
                        organisation_id=request.user.organisation_id,  # type: ignore[union-attr]
                    )
                raise PermissionDenied(
                    "Only a deployment administrator grants administrator access, permissions "
                    "or groups."
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        person = self.get_object(request, unquote(id))
        if person is not None and _guarded(person, request.user):
            self.message_user(
                request,
                f"{person} holds a role that opens safeguarding records, cases or the "
                "administration: only they (from the sign-in page) or a deployment "
                "administrator set their password.",
                messages.ERROR,
            )
            return redirect(reverse("admin:accounts_user_change", args=[person.pk]))
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and person is not None:
            with transaction.atomic():
                audit_record(
                    actor=request.user,  # type: ignore[arg-type]
                    action="admin.user.password",
                    target=person,
                )
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            obj.organisation_id = request.user.organisation_id  # type: ignore[union-attr]
            if not change:
                obj.is_superuser = obj.is_staff = False
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        instances = formset.save(commit=False)
        changed = {obj.pk: fields for obj, fields in formset.changed_objects}
        for instance in instances:
            # A role given, or changed to another role, counts as given now: a new
            # safeguarding lead is announced at once and confirmed before they open the
            # earlier record (services.role_assignment_save).
            services.role_assignment_save(
                assignment=instance,
                by=request.user,  # type: ignore[arg-type]
                changed=changed.get(instance.pk, ()),
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
