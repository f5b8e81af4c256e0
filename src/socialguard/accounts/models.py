"""Organisations, schools, people, their roles and reporting lines.

One deployment holds several organisations (a federation, a trust, a local authority); every
record that belongs to one carries ``organisation`` so that selectors can scope by it and no
one ever sees another organisation's data.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from socialguard.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        FEDERATION = "federation", "Federation"
        TRUST = "trust", "Multi-academy trust"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FEDERATION)
    website = models.URLField(blank=True)
    # The organisation's own contact details: the screening engine allows these (A.4.9 is about
    # staff's personal details, not the school's published ones).
    email_domains = models.JSONField(default=list, blank=True)
    official_phones = models.JSONField(default=list, blank=True)
    official_addresses = models.JSONField(default=list, blank=True)
    # Appendix B asks approvers to sign; the school chooses how (issue: password or typed name).
    approval_signature = models.CharField(
        max_length=12,
        choices=[
            ("either", "Approver's choice"),
            ("password", "Re-entered password"),
            ("typed_name", "Typed full name"),
        ],
        default="either",
    )
    # Retention (issue 6): how long closed records are kept before the retention command may
    # delete them. Defaults follow the IRMS schools toolkit: child protection files are kept long
    # (here 25 years after closure, the toolkit's "date of birth + 25 years" without a birth date
    # to count from); staff disciplinary files 6 years.
    concern_retention_years = models.PositiveSmallIntegerField(
        default=25, help_text="Years after a safeguarding concern is closed."
    )
    case_retention_years = models.PositiveSmallIntegerField(
        default=6, help_text="Years after a breach case or media enquiry is closed."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    logo = models.FileField(
        upload_to="logos/", blank=True, help_text="Shown on every page of its sites (A.4.7)."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="school_slug_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person: staff member, governor, contractor, pupil, family member, external contact.

    Deployment administrators (``is_superuser``) may have no organisation; everyone else has one.
    """

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    # A.4.8: staff disclose their position on official sites, so it is part of the person.
    position = models.CharField(max_length=120, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    # 6.7: leaving the organisation ends site roles; the person is kept for the record.
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.get_username()

    @property
    def has_left(self) -> bool:
        return self.left_on is not None and self.left_on <= date.today()


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    HEAD_TEACHER = "head_teacher", "Head teacher"
    COMMS_MANAGER = "comms_manager", "Communications Manager"
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy safeguarding lead"
    GOVERNOR = "governor", "Governor"
    IT_LEAD = "it_lead", "IT / monitoring lead"
    STAFF = "staff", "Staff member"
    CONTRACTOR = "contractor", "Contractor"
    VOLUNTEER = "volunteer", "Volunteer"
    TRAINEE = "trainee", "Trainee"
    PUPIL = "pupil", "Pupil"
    FAMILY_MEMBER = "family_member", "Family member"
    EXTERNAL_ORG = "external_org", "External organisation"


# 2.1: governors, staff, contractors, trainees and volunteers are all 'staff members'.
STAFF_ROLES = frozenset(
    {
        Role.HEAD_TEACHER,
        Role.COMMS_MANAGER,
        Role.DSL,
        Role.DEPUTY_DSL,
        Role.GOVERNOR,
        Role.IT_LEAD,
        Role.STAFF,
        Role.CONTRACTOR,
        Role.VOLUNTEER,
        Role.TRAINEE,
    }
)
LEADER_ROLES = frozenset({Role.HEAD_TEACHER, Role.COMMS_MANAGER, Role.DSL, Role.GOVERNOR})
SAFEGUARDING_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL})


class YearGroup(models.TextChoices):
    RECEPTION = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"


class RoleAssignment(TimeStampedModel):
    """A person holds a role in an organisation, optionally at one school, for a period."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices)
    year_group = models.CharField(max_length=1, choices=YearGroup.choices, blank=True)
    starts_on = models.DateField(default=date.today)
    ends_on = models.DateField(null=True, blank=True, help_text="First day without the role.")
    # Who gave the role and when it was given (not when it is said to start: ``starts_on`` can
    # be backdated, this cannot). Changing the role of a row counts as giving it again.
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # A.2.3 for a new safeguarding lead: until an existing lead or the head teacher confirms,
    # they open only the concerns recorded since their role began (see
    # ``selectors.lead_history_from``). Unused for other roles.
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="pupil") & ~Q(year_group=""))
                | (~Q(role="pupil") & Q(year_group="")),
                name="year_group_only_for_pupils",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        where = f" at {self.school}" if self.school_id else ""
        return f"{self.get_role_display()}{where}"

    def is_current(self, on: date | None = None) -> bool:
        on = on or date.today()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)

    @property
    def is_safeguarding(self) -> bool:
        return self.role in SAFEGUARDING_ROLES

    @property
    def began_at(self) -> datetime:
        """When the role really began: given in the system, and not before its start date."""
        start = timezone.make_aware(datetime.combine(self.starts_on, time.min))
        return max(self.granted_at, start)


class MfaMethod(TimeStampedModel):
    """A second step of signing in that a person has set up: an authenticator app (TOTP) or a
    passkey. Safeguarding leads, head teachers and administrators must have one before they open
    a concern, a case or the admin (``accounts.mfa``)."""

    class Kind(models.TextChoices):
        TOTP = "totp", "Authenticator app"
        PASSKEY = "passkey", "Passkey"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mfa_methods")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=80, blank=True)
    # TOTP: the shared secret, encrypted (accounts.secrets); a passkey has none.
    secret = models.TextField(blank=True)
    # TOTP: confirmed once the person typed a code from their app; until then it is not a method.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # TOTP: the last 30-second step accepted, so one code is never accepted twice.
    last_step = models.BigIntegerField(null=True, blank=True)
    # Passkey: the credential's id (base64url), its public key (COSE) and signature counter.
    credential_id = models.CharField(max_length=400, blank=True)
    public_key = models.BinaryField(blank=True, default=b"")
    sign_count = models.PositiveBigIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential_id"],
                condition=~Q(credential_id=""),
                name="passkey_credential_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class RecoveryCode(models.Model):
    """A one-use code for a person who has lost their phone or passkey; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"])]

    def __str__(self) -> str:
        return f"Recovery code of {self.user}" + (" (used)" if self.used_at else "")


class SingleSignOn(TimeStampedModel):
    """An organisation's identity provider (OpenID Connect): people sign in with their school
    account, matched to an existing person by e-mail address; nobody is created by signing in."""

    class Provider(models.TextChoices):
        MICROSOFT = "microsoft", "Microsoft Entra ID (Microsoft 365)"
        GOOGLE = "google", "Google Workspace"
        OTHER = "other", "Another OpenID Connect provider"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="single_sign_on"
    )
    provider = models.CharField(max_length=12, choices=Provider.choices)
    enabled = models.BooleanField(default=True)
    client_id = models.CharField(max_length=200)
    # Encrypted (accounts.secrets) and never shown again once saved.
    client_secret = models.TextField(blank=True)
    # Microsoft: the directory (tenant) id or domain; Google: the Workspace domain (checked
    # against the hd claim); another provider: its issuer address.
    tenant = models.CharField(max_length=200, blank=True)
    domain = models.CharField(max_length=200, blank=True)
    issuer = models.URLField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.get_provider_display()} for {self.organisation}"
