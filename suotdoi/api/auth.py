from ninja.security import SessionAuth


class PersonSession(SessionAuth):
    """Cookie session of a signed-in person (CSRF checked on writes)."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
