"""School-hosted sites as their members see them: posts, comments and images, all
pre-moderated (A.5.3), with members and 'friends' who were vetted before joining (A.5.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialguard.core.models import TimeStampedModel


class CommunitySettings(TimeStampedModel):
    """How one school-hosted site runs (A.5.1, A.5.2). Created with defaults on first use."""

    class PupilNames(models.TextChoices):
        PSEUDONYM = "pseudonym", "A pseudonym (for example 'Blue Otter 14')"
        FIRST_INITIAL = "first_initial", "First name and initial (for example 'Amira K.')"

    site = models.OneToOneField("sites.Site", on_delete=models.CASCADE, related_name="community")
    pupil_names = models.CharField(
        max_length=14, choices=PupilNames.choices, default=PupilNames.PSEUDONYM
    )
    allow_posts = models.BooleanField(default=True, help_text="Members may write posts.")
    allow_comments = models.BooleanField(default=True, help_text="Members may comment.")
    allow_images = models.BooleanField(default=True, help_text="Members may upload images.")
    review_target_minutes = models.PositiveIntegerField(
        default=240, help_text="Moderators are reminded after this many minutes of school time."
    )
    watched_words = models.JSONField(
        default=list, blank=True, help_text='[{"pattern": "...", "action": "block|review|censor"}]'
    )

    def __str__(self) -> str:
        return f"Settings of {self.site}"


class Membership(TimeStampedModel):
    """A person's place on a site: asked for, vetted, then approved, refused or suspended."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member (may contribute)"
        FRIEND = "friend", "Friend (may follow and comment)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for vetting"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        SUSPENDED = "suspended", "Suspended"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    external_organisation = models.CharField(
        max_length=160, blank=True, help_text="Set when an external organisation asks (A.5.9)."
    )
    note = models.TextField(blank=True, help_text="Why they want to join, in their words.")
    display_name = models.CharField(max_length=80, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="one_membership_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.site} ({self.get_status_display()})"


class Image(TimeStampedModel):
    """An uploaded image, re-encoded without its metadata (EXIF, GPS) and checked for faces."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="images")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="community/%Y/%m/")
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    faces = models.PositiveSmallIntegerField(default=0)
    metadata_removed = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Image {self.pk} ({self.width}×{self.height})"


class Contribution(TimeStampedModel):
    """A post, a comment or an image post. Nothing is shown to members until a moderator
    approves it (A.5.3); what the engine blocks (A.5.6) and what is passed to the DSL (A.2.3)
    is never shown to members at all."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        COMMENT = "comment", "Comment"
        IMAGE = "image", "Image"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not published"
        REMOVED = "removed", "Removed"
        BLOCKED = "blocked", "Held: not shown to members"
        WITHHELD = "withheld", "Held: not shown to members"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions"
    )
    author_label = models.CharField(
        max_length=200,
        help_text="How the author is shown: name and position for staff (A.4.8), "
        "a pseudonym or first name and initial for pupils (A.5.2).",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    original_body = models.TextField(blank=True, help_text="Kept when a moderator edits.")
    image = models.ForeignKey(Image, null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(
        blank=True, help_text="Why it was not published, as the author sees it."
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["site", "status", "-published_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="comment", parent__isnull=False)
                | (~Q(kind="comment") & Q(parent__isnull=True)),
                name="only_comments_have_parents",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} by {self.author_label}"

    @property
    def visible_to_members(self) -> bool:
        return self.status == self.Status.PUBLISHED
