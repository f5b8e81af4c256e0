"""The "test it" box: which recent contributions a phrase, a watched word or an example sentence
would have matched, read by the real screening code (the same detectors, the same compiler, the
same encoder and threshold as the engine).

Need to know (A.2.3): contributions that went to the safeguarding leads, or are evidence in a
concern, are never in the sample; and a contribution's words are shown only where the person
could already read them on the site (published). The rest are counted, not shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Q, QuerySet

from socialguard.community.models import Contribution
from socialguard.core.errors import ApplicationError
from socialguard.lexicon.patterns import pattern_clean
from socialguard.moderation.models import ReviewItem
from socialguard.safeguarding.models import ConcernEvidence, Escalation
from socialguard.screening import Screener
from socialguard.screening.base import Context, HouseRule
from socialguard.screening.detectors.house_rules import HouseRulesDetector
from socialguard.screening.detectors.phrases import SafeguardingPhraseDetector
from socialguard.screening.normalise import normalise
from socialguard.screening.semantic import CONTEXT_DIMS, semantic_text
from socialguard.sites.models import Site

RECENT = 200
SHOWN = 30
HANDOVER_SOURCE = "review_item"


@dataclass(frozen=True)
class Match:
    site: str
    site_id: int
    at: str
    text: str
    score: float | None = None


@dataclass(frozen=True)
class Tryout:
    candidate: str
    looked_at: int
    shown: list[Match]
    hidden: int  # matched, but not published: counted, never shown
    note: str = ""

    @property
    def matched(self) -> int:
        return len(self.shown) + self.hidden


def _safeguarding_items() -> QuerySet[ReviewItem]:
    escalated = Escalation.objects.filter(source_type=HANDOVER_SOURCE).values("source_id")
    evidence = ConcernEvidence.objects.filter(
        source_type=ConcernEvidence.SourceType.REVIEW_ITEM
    ).values_list("source_id", flat=True)
    evidence_ids = [int(i) for i in evidence if str(i).isdigit()]
    return ReviewItem.objects.filter(
        Q(status=ReviewItem.Status.SAFEGUARDING) | Q(pk__in=escalated) | Q(pk__in=evidence_ids)
    )


def recent_sample(*, organisation_id: int, site: Site | None = None) -> list[Contribution]:
    """The last RECENT contributions with words, less anything the leads hold."""
    query = Contribution.objects.filter(site__organisation_id=organisation_id).exclude(body="")
    if site is not None:
        query = query.filter(site=site)
    query = query.exclude(status=Contribution.Status.WITHHELD).exclude(
        pk__in=_safeguarding_items().exclude(contribution=None).values("contribution_id")
    )
    return list(query.select_related("site").order_by("-created_at", "-pk")[:RECENT])


def _result(
    candidate: str, sample: list[Contribution], hits: Sequence[tuple[Contribution, float | None]]
) -> Tryout:
    shown: list[Match] = []
    hidden = 0
    for contribution, score in hits:
        if contribution.status != Contribution.Status.PUBLISHED:
            hidden += 1
            continue
        if len(shown) < SHOWN:
            text = (
                contribution.body
                if len(contribution.body) <= 300
                else contribution.body[:297] + "..."
            )
            shown.append(
                Match(
                    site=contribution.site.name,
                    site_id=contribution.site_id,
                    at=f"{contribution.created_at:%d %b %Y}",
                    text=text,
                    score=score,
                )
            )
    return Tryout(candidate=candidate, looked_at=len(sample), shown=shown, hidden=hidden)


def try_pattern(
    *, pattern: str, regex: bool, organisation_id: int, site: Site | None = None
) -> Tryout:
    """A phrase for the leads' library (site None: every site of the organisation) or a watched
    word for one site, run through the detector that will use it."""
    pattern = pattern_clean(pattern=pattern, regex=regex)
    rule = HouseRule(pattern=pattern, regex=regex, action="review")
    if site is None:
        detector: SafeguardingPhraseDetector | HouseRulesDetector = SafeguardingPhraseDetector()
        context = Context(safeguarding_phrases=(rule,))
    else:
        detector = HouseRulesDetector()
        context = Context(house_rules=(rule,))
    sample = recent_sample(organisation_id=organisation_id, site=site)
    hits = [(c, None) for c in sample if detector.detect(normalise(c.body), context)]
    return _result(pattern, sample, hits)


def try_example(*, text: str, organisation_id: int) -> Tryout:
    """An example sentence, compared with each recent contribution by the engine's encoder and
    the threshold the engine uses for the leads' examples."""
    text = " ".join(text.split())
    if len(text.split()) < 3:
        raise ApplicationError("Write a whole sentence, of at least three words.")
    semantic = Screener.default().semantic
    if semantic is None:
        return Tryout(text, 0, [], 0, note="The meaning model is not installed on this server.")
    model = semantic.model
    sample = recent_sample(organisation_id=organisation_id)
    if not sample:
        return _result(text, sample, [])
    texts = [semantic_text(normalise(c.body).plain.text) for c in sample]
    vectors = model.context_vectors(texts)[:, :CONTEXT_DIMS]  # the mean, as examples are matched
    candidate = model.example_vectors((text,))[0]
    similarity = vectors @ candidate
    order = np.argsort(-similarity)
    hits = [
        (sample[i], float(similarity[i])) for i in order if similarity[i] >= model.example_threshold
    ]
    return _result(text, sample, hits)
