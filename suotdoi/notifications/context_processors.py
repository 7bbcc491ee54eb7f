from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: notification_unread_count(person=user))
    }
