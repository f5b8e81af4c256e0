"""Fictional safeguarding concerns for the demo federation, each account beginning "[Demo]", in
the states a DSL meets: open with an action due, referred to CEOP, closed with an outcome, and
one recorded from the demo's safeguarding review item. Made through the real services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.safeguarding.escalations import concern_from_escalation
from socialguard.safeguarding.models import Agency, ConcernEntry, Escalation
from socialguard.safeguarding.services import (
    concern_action_assign,
    concern_close,
    concern_entry_add,
    concern_record,
    concern_referral_outcome,
    concern_referral_record,
)


def load_demo_concerns(organisation: Organisation, people: dict[str, User]) -> None:
    now = timezone.now()
    today = timezone.localdate()
    dsl, deputy = people["dsl"], people["deputydsl"]

    item = Escalation.objects.filter(
        organisation=organisation, status=Escalation.Status.WITH_LEADS
    ).first()
    if item is not None:
        from_item = concern_from_escalation(
            by=dsl,
            escalation=item,
            account="[Demo] The screening engine passed this comment on the Year 4 Learning Blog "
            "to me. I have spoken to the class teacher; the pupil is in school today.",
        )
        concern_action_assign(
            concern=from_item,
            by=dsl,
            description="Speak to the pupil with the class teacher present; record their words.",
            assignee=deputy,
            due_on=today + timedelta(days=1),
        )

    bullying = concern_record(
        by=people["teacher2"],
        pupils=[people["pupil4"]],
        occurred_at=now - timedelta(days=2, hours=3),
        location="Roselands playground, morning break",
        categories=["bullying"],
        account="[Demo] Two older pupils told Isla that nobody likes her and shared a photo of "
        "her on a group chat with unkind comments. Isla was crying when she came in from break.",
        child_words="[Demo] They put my picture on the chat and everybody laughed at it.",
    )
    concern_action_assign(
        concern=bullying,
        by=deputy,
        description="Meet Isla's parents after school and check the group chat is taken down.",
        assignee=deputy,
        due_on=today + timedelta(days=3),
    )

    ceop = concern_record(
        by=people["teacher"],
        pupils=[people["pupil2"]],
        occurred_at=now - timedelta(days=6),
        location="Year 4 classroom (told during reading time)",
        categories=["grooming_meeting", "grooming_secrecy"],
        account="[Demo] Amelia showed me messages on a game's chat from someone who says he is "
        "12 but asked her to keep their chats secret and to meet him at the park on Saturday.",
        child_words="[Demo] He said not to tell my mum because she would take my tablet away.",
    )
    referral = concern_referral_record(
        concern=ceop,
        by=dsl,
        agency=Agency.CEOP,
        made_on=(now - timedelta(days=6)).date(),
        reference="CEOP-DEMO-0001",
        note="[Demo] Report made online; screenshots kept by the DSL.",
    )
    concern_referral_outcome(
        referral=referral,
        by=dsl,
        outcome="[Demo] CEOP passed it to Sussex Police, who are investigating the account.",
    )
    concern_entry_add(
        concern=ceop,
        by=dsl,
        kind=ConcernEntry.Kind.DSL_SUMMARY,
        body="[Demo] Parents informed the same day; online-safety session planned for Year 4.",
    )

    closed = concern_record(
        by=people["ta"],
        pupils=[people["pupil5"]],
        unlisted_pupils=["[Demo] Older sibling at another school"],
        occurred_at=now - timedelta(days=40),
        location="Roselands classroom",
        categories=["disclosure_neglect"],
        account="[Demo] Leo has come to school hungry most days this week and his uniform has "
        "not been washed. He said there was no food at home at the weekend.",
    )
    concern_referral_record(
        concern=closed,
        by=deputy,
        agency=Agency.EARLY_HELP,
        made_on=(now - timedelta(days=38)).date(),
        reference="EH-DEMO-2231",
    )
    concern_close(
        concern=closed,
        by=dsl,
        outcome="[Demo] Early Help support in place for the family; breakfast club place "
        "offered. No further concerns after six weeks of monitoring.",
    )
