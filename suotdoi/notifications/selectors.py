from .models import Notification


def notification_unread_count(*, person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def notification_list_for(*, person, limit: int = 50):
    return Notification.objects.filter(recipient=person)[:limit]
