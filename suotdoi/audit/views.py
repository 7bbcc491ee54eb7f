from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .models import AuditEvent


@login_required
def audit_log_page(request):
    """The whole log, for platform administrators. Unit officers see their part on unit pages."""
    if not request.user.is_superuser:
        raise Http404
    qs = AuditEvent.objects.select_related("actor", "on_behalf_of")
    verb = request.GET.get("verb", "").strip()
    if verb:
        qs = qs.filter(verb__startswith=verb)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "verb": verb})
