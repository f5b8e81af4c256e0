"""Official sites: the Appendix B proposal, the register, staffing and lifecycle (section 7,
Appendices A and B)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from socialguard.core.models import TimeStampedModel


class Audience(models.TextChoices):
    """The six tick-boxes of Appendix B, for both audience and contributors."""

    PUPILS = "pupils", "Pupils R – Yr. 6"
    STAFF = "staff", "Staff"
    FAMILIES = "families", "Pupils' family members"
    EXTERNAL_ORGS = "external_orgs", "External organisations"
    PUBLIC = "public", "Members of the public"
    OTHERS = "others", "Others"


class Site(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_LINE_MANAGER = "awaiting_line_manager", "Awaiting line manager"
        AWAITING_COMMS = "awaiting_comms", "Awaiting Communications Manager"
        AWAITING_HEAD = "awaiting_head", "Awaiting head teacher"
        CHANGES_REQUESTED = "changes_requested", "Returned for changes"
        APPROVED = "approved", "Approved"
        LIVE = "live", "Live"
        REVIEW_DUE = "review_due", "Review due"
        CLOSING = "closing", "Closing"
        CLOSED = "closed", "Closed"
        REJECTED = "rejected", "Rejected"

    class Host(models.TextChoices):
        SCHOOL = "school", "The school (hosted by socialguard)"
        THIRD_PARTY = "third_party", "A third party"

    class StricterMode(models.TextChoices):
        HOLD_ALL = "hold_all", "Hold every contribution for moderation"
        READ_ONLY = "read_only", "Read-only"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="sites"
    )
    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(max_length=160)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    # Team details
    department = models.CharField(max_length=120, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sites_owned"
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Purpose (7.2, A.1.2)
    purpose = models.TextField(blank=True)
    aims = models.TextField(blank=True, help_text="One aim per line; evaluated at review (A.1.7).")
    proposed_content = models.TextField(blank=True)
    audience = models.JSONField(default=list, blank=True)
    audience_other = models.CharField(max_length=200, blank=True)
    contributors = models.JSONField(default=list, blank=True)
    contributors_other = models.CharField(max_length=200, blank=True)
    # Administration
    vetter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    host = models.CharField(max_length=12, choices=Host.choices, default=Host.SCHOOL)
    host_name = models.CharField(max_length=120, blank=True)
    host_min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    go_live_on = models.DateField(null=True, blank=True)
    closure_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    advertising_plan = models.TextField(blank=True)
    consent_plan = models.TextField(blank=True)
    security_measures = models.TextField(blank=True)
    contributors_have_learning_disabilities = models.BooleanField(default=False)
    home_office_checklist_reviewed = models.BooleanField(default=False)
    uses_school_logo = models.BooleanField(default=True)
    # Running the site
    stricter_mode = models.CharField(
        max_length=10, choices=StricterMode.choices, default=StricterMode.HOLD_ALL
    )
    degraded_since = models.DateTimeField(null=True, blank=True)
    last_moderation_at = models.DateTimeField(null=True, blank=True)
    neglect_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def aims_list(self) -> list[str]:
        return [line.strip(" -•") for line in self.aims.splitlines() if line.strip(" -•")]

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audience]

    @property
    def contributors_labels(self) -> list[str]:
        return [Audience(value).label for value in self.contributors]

    @property
    def is_degraded(self) -> bool:
        return self.degraded_since is not None


class SiteRole(TimeStampedModel):
    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "Administrator"
        MODERATOR = "moderator", "Moderator"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="site_roles"
    )
    role = models.CharField(max_length=14, choices=Role.choices)
    active = models.BooleanField(default=True)
    trained_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "user", "role"], name="one_site_role_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.site})"


class Absence(TimeStampedModel):
    """Leave and absence of site administrators and moderators (A.5.4: cover during absences)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="absence_dates")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.starts_on} to {self.ends_on}"


class SiteDocument(TimeStampedModel):
    """A.4.1: Terms of Use and House Rules, versioned; a site cannot go live without both."""

    class Kind(models.TextChoices):
        TERMS = "terms", "Terms of Use"
        HOUSE_RULES = "house_rules", "House Rules"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    version = models.PositiveIntegerField()
    text = models.TextField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "version"], name="one_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class SiteEvaluation(TimeStampedModel):
    """A.1.7: at review the owner records how the site did against each stated aim."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue (needs a new approval)"
        CHANGE = "change", "Change"
        CLOSE = "close", "Close"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="evaluations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    against_aims = models.JSONField(
        default=list
    )  # [{"aim": ..., "met": "yes|partly|no", "evidence": ...}]
    decision = models.CharField(max_length=10, choices=Decision.choices)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Evaluation of {self.site} ({self.get_decision_display()})"


class SiteReminder(models.Model):
    """A lifecycle reminder already sent, so that each goes out once (A.1.6, A.1.7)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)  # review_30, review_7, closure_30, closure_7, neglect
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "due_on"], name="one_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site}: {self.kind} for {self.due_on}"


class SiteRequest(TimeStampedModel):
    """Something other than a new site that needs sign-off, through the same approval engine:
    participating on a third-party site (A.3.3), content (A.3.4), logo use (A.3.5), an advert for
    contributors (A.5.8), an external organisation as a 'friend' (A.5.9)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    details = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.title
