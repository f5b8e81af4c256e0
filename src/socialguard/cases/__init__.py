"""Staff breach reports and cases (section 9) and media enquiries (A.3.7)."""
