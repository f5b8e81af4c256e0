"""What "Check my post" keeps: one number per organisation and day, for the governors' report.
No text, no image, no person: who checked what is nobody's to know (see ``services``)."""

from __future__ import annotations

from django.db import models


class PostCheckDay(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    checks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="postcheck_one_row_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.checks} checks on {self.day:%d %b %Y}"
