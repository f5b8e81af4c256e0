"""The monitoring app's models, one module per topic; import them from here."""

from socialguard.monitoring.models.config import (
    Category,
    DomainCategory,
    FilteringReview,
    MonitoringSettings,
    TermDate,
    Weekday,
    WorkingHours,
)
from socialguard.monitoring.models.findings import (
    Audience,
    Clause,
    FindingEvidence,
    FindingKind,
    FindingStatus,
    MonitoringFinding,
    TrafficSummary,
    WeeklyTally,
)
from socialguard.monitoring.models.sources import (
    AddressLease,
    IngestRun,
    LogFormat,
    LogSource,
    MatchUsersBy,
    SourceFile,
    UserAlias,
)

__all__ = [
    "AddressLease",
    "Audience",
    "Category",
    "Clause",
    "DomainCategory",
    "FilteringReview",
    "FindingEvidence",
    "FindingKind",
    "FindingStatus",
    "IngestRun",
    "LogFormat",
    "LogSource",
    "MatchUsersBy",
    "MonitoringFinding",
    "MonitoringSettings",
    "SourceFile",
    "TermDate",
    "TrafficSummary",
    "UserAlias",
    "Weekday",
    "WeeklyTally",
    "WorkingHours",
]
from socialguard.monitoring.models.notice import AcceptableUseNotice, NoticeAcceptance

__all__ += ["AcceptableUseNotice", "NoticeAcceptance"]
