"""Safeguarding concerns: an immutable account, an append-only chronology, referrals; DSLs only."""
