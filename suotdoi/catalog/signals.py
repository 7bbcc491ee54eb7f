"""What the catalogue tells the apps above it (they may not be imported from here)."""

from django.dispatch import Signal

# sender=Enrolment, enrolment=…, entry=… (inside the completion's transaction)
course_completed = Signal()
