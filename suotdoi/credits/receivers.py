"""Credit for credit-bearing completions, in the completion's own transaction."""

from django.dispatch import receiver

from suotdoi.catalog.signals import course_completed


@receiver(course_completed, dispatch_uid="credits.award_for_completion")
def _award(sender, enrolment, entry=None, **kwargs):
    from .actions import award_for_completion

    award_for_completion(enrolment=enrolment, entry=entry)
