"""Strings Django itself shows on our pages that its Vietnamese catalogue lacks.

Listing them here (as gettext_noop) puts them in our catalogue, where `make lint` requires a
Vietnamese translation; Django reads our catalogue first (LOCALE_PATHS).
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = [
    gettext_noop("- Select an option -"),  # the empty choice of a select (BLANK_CHOICE_LABEL)
]
