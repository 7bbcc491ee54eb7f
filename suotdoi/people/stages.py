"""Login stages of our own (allauth's stage mechanism)."""

from __future__ import annotations

from allauth.account.stages import PhoneVerificationStage


class SignupPhoneVerificationStage(PhoneVerificationStage):
    """A code proves the phone at sign-up (and a change of number is verified by allauth's
    own change flow). People already registered — most by their union, with a number an officer
    typed — are not stopped at sign-in; their number becomes verified the first time a code
    reaches them."""

    def handle(self):
        if not self.login.signup:
            return None, True
        return super().handle()
