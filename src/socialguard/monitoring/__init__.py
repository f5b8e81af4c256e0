"""Monitoring of the school's internet use from web-proxy logs (8.1, 8.2), with findings that cite
the clause they concern: 6.13 (personal social media on the school's time), 6.11 (editing open
encyclopaedias from the school's network) and A.2.3 (pupils' searches that may be a safeguarding
matter). Raw log lines are kept only as the evidence of findings; everything else is aggregated."""
