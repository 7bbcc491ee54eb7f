from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from .actions import person_update_profile
from .forms import ProfileForm


@login_required
def profile(request):
    person = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            person_update_profile(actor=person, person=person, data=form.cleaned_data)
            translation.activate(person.language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect("people:profile")
            response.set_cookie("suotdoi_language", person.language, samesite="Lax",
                                max_age=365 * 24 * 3600)
            return response
        person.refresh_from_db()
    else:
        form = ProfileForm(instance=person)
    return render(request, "people/profile.html", {"form": form, "person": person})
