"""The last number a series gave for an issuer in a year (one row per series, issuer and year)."""

from django.db import models

from halfbuilt.accounts.models import Organization


class Counter(models.Model):
    """Locked while a document is numbered, so numbers have no gaps and no twins."""

    series = models.CharField(max_length=20)  # "order" (督办单), "circular" (通报) …
    issuer_org = models.ForeignKey(Organization, models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "issuer_org", "year"], name="numbering_counter_unique"),
        ]
