"""Lexicon's audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"lexicon": "Watch lists"})
register(
    "audit_action",
    {
        "lexicon.phrase.added": "Phrase added to the safeguarding phrase library",
        "lexicon.phrase.changed": "Phrase in the safeguarding phrase library changed",
        "lexicon.phrase.removed": "Phrase removed from the safeguarding phrase library",
        "lexicon.example.added": "Example sentence added by the safeguarding leads",
        "lexicon.example.changed": "Example sentence changed",
        "lexicon.example.removed": "Example sentence removed",
        "lexicon.watched_word.added": "Watched word added to a site's House Rules",
        "lexicon.watched_word.changed": "Watched word in a site's House Rules changed",
        "lexicon.watched_word.removed": "Watched word removed from a site's House Rules",
    },
)
