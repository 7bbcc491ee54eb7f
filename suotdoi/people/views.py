from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from .actions import person_update_profile
from .forms import ProfileForm
from .models import Person


@login_required
def profile(request):
    person = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            # The form has already copied the values onto `person`; compare with the stored row.
            stored = Person.objects.get(pk=person.pk)
            person = person_update_profile(actor=stored, person=stored, data=form.cleaned_data)
            translation.activate(person.language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect("people:profile")
            response.set_cookie(
                "suotdoi_language", person.language, samesite="Lax", max_age=365 * 24 * 3600
            )
            return response
        person.refresh_from_db()
    else:
        form = ProfileForm(instance=person)
    return render(request, "people/profile.html", {"form": form, "person": person})


@login_required
def my_data(request):
    """Everything held about the caller, as one JSON file."""
    import json

    from django.http import HttpResponse

    from suotdoi.audit.actions import audit_log

    from .mydata import personal_data

    data = personal_data(request.user)
    audit_log(actor=request.user, verb="person.export_data", target=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    response["Cache-Control"] = "no-store"
    return response
