"""Check my post: a staff member checks a draft for their own social media before publishing
it (6.1, 6.8, 6.9, 6.10, 6.12, 6.15). Private by design: the draft and its image are screened
in memory and forgotten; only a daily count of checks per organisation is kept."""
