"""allauth form overrides that import allauth's account forms (kept apart from forms.py, which
allauth itself imports while loading them: the sign-up extra form)."""

from __future__ import annotations

from allauth.account.forms import RequestLoginCodeForm as _RequestLoginCodeForm


class RequestLoginCodeForm(_RequestLoginCodeForm):
    """ "Send me a code": the same answer whether or not the number has an account (allauth
    tells when enumeration prevention is off, which sign-up needs), and no SMS to a number
    without one."""

    def clean_phone(self) -> str:
        from allauth.account.adapter import get_adapter
        from allauth.core import context, ratelimit

        phone = self.cleaned_data["phone"]
        if phone:
            self._user = get_adapter().get_user_by_phone(phone)
            if not ratelimit.consume(
                context.request, action="request_login_code", key=str(phone).lower()
            ):
                raise get_adapter().validation_error("too_many_login_attempts")
        return phone
