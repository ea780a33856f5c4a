"""Candidate pairs, the decisions on them, and merges with what they replaced.

Pairs are kept by the persons' refs, not their rows: a decision that two records are not
one person is remembered whatever becomes of either row, and a merge undone recreates the
absorbed person under the same ref.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

CANDIDATE_STATUSES = ("open", "merged", "not_same")


class Candidate(models.Model):
    """Two persons the linkage model proposes as one, with its score and, for each
    comparison, the level reached and the weight it added (``{"name": ["…", 6.2]}``)."""

    left_ref = models.CharField(max_length=100)
    right_ref = models.CharField(max_length=100)
    probability = models.FloatField()
    weight = models.FloatField()
    contributions = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10,
        default="open",
        choices=[(s, s.replace("_", " ")) for s in CANDIDATE_STATUSES],
    )
    found_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-probability", "left_ref", "right_ref"]
        permissions = [("review_candidate", "Can merge persons and mark them not the same")]
        constraints = [
            models.UniqueConstraint(
                fields=["left_ref", "right_ref"], name="one_candidate_per_pair"
            ),
            models.CheckConstraint(condition=Q(left_ref__lt=F("right_ref")), name="pair_in_order"),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="candidate_queue")]

    def __str__(self) -> str:
        return f"{self.left_ref} ~ {self.right_ref} ({self.probability:.3f}, {self.status})"


class Merge(models.Model):
    """A merge of ``absorbed_ref`` into ``survivor_ref``; ``before`` holds both persons, the
    absorbed person's transfers and the court orders that named them, as they were, so that
    undoing the merge restores them exactly."""

    survivor_ref = models.CharField(max_length=100)
    absorbed_ref = models.CharField(max_length=100)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    before = models.JSONField()
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"merge of {self.absorbed_ref} into {self.survivor_ref}"


class LinkageWeights(models.Model):
    """The linkage model's weights as last learnt from the stored persons (Splink's saved
    model), which score a new record at its creation; without any, the priors do."""

    trained_at = models.DateTimeField(auto_now_add=True)
    persons = models.PositiveIntegerField()
    model = models.JSONField()

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name_plural = "linkage weights"

    def __str__(self) -> str:
        return f"linkage weights learnt from {self.persons} persons at {self.trained_at}"
