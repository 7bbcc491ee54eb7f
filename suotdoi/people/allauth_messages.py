"""Strings shown by django-allauth's Python code on our pages.

allauth ships no Vietnamese catalogue. Listing its msgids here (unchanged, as gettext_noop) puts
them in our catalogue, where `make lint` requires a Vietnamese translation for each.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

ALLAUTH_MESSAGES = [
    gettext_noop("Your account has no password set up."),
    gettext_noop("The third-party account is already connected to a different account."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Password"),
    gettext_noop("Remember Me"),
    gettext_noop("Email or phone"),
    gettext_noop("Email"),
    gettext_noop("Email (optional)"),
    gettext_noop("Phone"),
    gettext_noop("Password (again)"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Code"),
    gettext_noop("Email address"),
    gettext_noop("Forgot your password?"),
    gettext_noop("This account is currently inactive."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("The phone number and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("A user is already registered with this phone number."),
    gettext_noop("Please type your current password."),
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("Invalid login."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("The phone number is not assigned to any user account."),
    gettext_noop("The new value must be different from the current one."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("Authenticator code"),
    gettext_noop("You cannot deactivate two-factor authentication."),
]

# Labels allauth asks for with a context (pgettext).
ALLAUTH_CONTEXT_MESSAGES = [
    pgettext_lazy("field label", "Login"),
]
