"""The understanding survey (2.2.1.a): rounds, aspects, invitations and ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import Organisation, Person, TimeStamped

from .framework import Period


class SurveyAspect(models.Model):
    """A key aspect of the serious violence response whose understanding is rated."""

    text = models.CharField(_("aspect"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("asked in new rounds"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["text"], name="performance_aspect_unique_text")]

    def __str__(self) -> str:
        return self.text


class SurveyRound(TimeStamped):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="survey_rounds")
    aspects = models.ManyToManyField(SurveyAspect, related_name="rounds")
    opened_at = models.DateTimeField(_("opened"))
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__year", "-period__quarter"]
        constraints = [
            models.UniqueConstraint(fields=["period"], name="performance_one_survey_round_per_period"),
        ]

    def __str__(self) -> str:
        return str(_("Understanding survey, %(period)s") % {"period": self.period})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SurveyInvitation(models.Model):
    """A board member of a specified or relevant authority invited to answer a round."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="survey_invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    class Meta:
        ordering = ["round", "organisation__name", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="performance_one_invitation_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation}), {self.round}"


class SurveyResponse(models.Model):
    class Rating(models.TextChoices):
        NONE = "none", _("No understanding")
        LIMITED = "limited", _("Limited understanding")
        SOME = "some", _("Some understanding")
        GOOD = "good", _("Good understanding")
        FULL = "full", _("Full understanding")

    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.CASCADE, related_name="responses")
    aspect = models.ForeignKey(SurveyAspect, on_delete=models.PROTECT, related_name="responses")
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["invitation", "aspect__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "aspect"], name="performance_one_rating_per_aspect"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=["none", "limited", "some", "good", "full"]),
                name="performance_rating_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation.person}: {self.aspect} – {self.get_rating_display()}"
