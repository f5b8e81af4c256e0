"""What the school configures: domain categories, contracted hours, term dates, thresholds and
retention (6.13, 8.1), and the DfE standard's annual review of filtering and monitoring."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from socialguard.accounts.models import Role


class Category(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "Social media"
    VIDEO = "video", "Video sharing"
    ENCYCLOPAEDIA = "encyclopaedia", "Open encyclopaedias"
    WEBMAIL = "webmail", "Web mail"
    SEARCH = "search", "Search engines"
    MESSAGING = "messaging", "Messaging"
    GAMING = "gaming", "Games"
    SHOPPING = "shopping", "Shopping"
    NEWS = "news", "News"
    EDUCATION = "education", "Education"
    OTHER = "other", "Everything else"


class DomainCategory(models.Model):
    """A domain and its category. ``organisation`` empty: one of the shipped defaults (loaded
    from ``monitoring/data/domains.csv``); a school's own row for the same domain overrides it.
    A domain matches itself and every sub-domain (``m.facebook.com`` is ``facebook.com``)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    domain = models.CharField(max_length=253)

    class Meta:
        ordering = ["category", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "domain"], name="domaincategory_once_per_org"
            ),
            models.UniqueConstraint(
                fields=["domain"],
                condition=models.Q(organisation__isnull=True),
                name="domaincategory_default_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} ({self.category})"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """Contracted hours (6.13 "on the school's time"), for a role or for one person; a person's
    own rows replace their role's. Times are local (settings.TIME_ZONE)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["role", "user_id", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="") & models.Q(user__isnull=False))
                | (~models.Q(role="") & models.Q(user__isnull=True)),
                name="workinghours_role_or_user",
            ),
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="workinghours_ends_after"
            ),
        ]

    def __str__(self) -> str:
        who = self.role or f"user {self.user_id}"
        return f"{who} {self.get_weekday_display()} {self.starts}-{self.ends}"


class TermDate(models.Model):
    """A term (inclusive dates); any day outside every term is a holiday."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="termdate_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.starts_on} to {self.ends_on})"


class MonitoringSettings(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    weekly_social_minutes_threshold = models.PositiveIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(10080)],
        help_text=(
            "A staff member's personal social media within their contracted hours, in minutes "
            "per week, above which a finding is made (6.13)."
        ),
    )
    retention_days = models.PositiveIntegerField(
        default=365,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
        help_text="Days that daily traffic totals and closed findings are kept.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "monitoring settings"

    def __str__(self) -> str:
        return f"Monitoring settings for organisation {self.organisation_id}"


class FilteringReview(models.Model):
    """The DfE filtering and monitoring standards ask for a review at least once a year."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField()
    next_due = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Filtering review {self.reviewed_on}"
