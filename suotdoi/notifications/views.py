from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .actions import notifications_mark_read
from .selectors import notification_list_for


@login_required
def notification_list(request):
    items = list(notification_list_for(person=request.user))
    return render(request, "notifications/list.html", {"items": items})


@require_POST
@login_required
def notification_mark_all_read(request):
    notifications_mark_read(actor=request.user)
    return redirect("notifications:list")
