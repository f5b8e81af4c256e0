"""Finding categories grouped into the policy families the evaluation reports on."""

from __future__ import annotations

FAMILIES: dict[str, frozenset[str]] = {
    "contact": frozenset(
        {
            "phone",
            "email",
            "postcode",
            "address",
            "date_of_birth",
            "nhs_number",
            "ni_number",
            "upn",
            "social_handle",
        }
    ),
    "pupil": frozenset({"pupil_full_name", "pupil_first_name"}),
    "confidential": frozenset(
        {
            "confidential_special_needs",
            "confidential_family",
            "confidential_records",
            "confidential_in_confidence",
            "confidential_negotiation",
            "confidential_political",
        }
    ),
    "extreme_offence": frozenset({"extreme_offence", "threat", "hate_model"}),
    "insult": frozenset({"insult", "insult_model"}),
    "tone": frozenset({"tone", "tone_model", "abuse_reported"}),
    "safeguarding": frozenset(
        {
            "disclosure_abuse",
            "disclosure_neglect",
            "self_harm",
            "bullying",
            "grooming_secrecy",
            "grooming_images",
            "grooming_flattery_gifts",
            "grooming_private_channel",
            "grooming_location",
            "grooming_meeting",
            "radicalisation",
        }
    ),
    "conduct": frozenset({"personal_opinion", "political", "commitment", "media_enquiry"}),
    "personal": frozenset({"names_employer", "identifies_as_employee", "school_email", "brand"}),
}
FAMILY_OF = {category: family for family, categories in FAMILIES.items() for category in categories}
