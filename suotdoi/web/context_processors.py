from django.urls import reverse

from .home import nav_for


def display(request):
    """Text size and contrast for <html class> (web.views.set_display)."""
    from .views import display_prefs

    return {"display": display_prefs(request)}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": [
            {"label": item.label, "url": reverse(item.url_name)} for item in nav_for(user)
        ]
    }
