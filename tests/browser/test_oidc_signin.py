"""#18.2 in Chromium at 360 px: Mai signs in through an OpenID provider running on 127.0.0.1
(npm oidc-provider, not a mock); her verified phone links it to her existing record."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.oidc_helpers import oidc_provider, provider_settings

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_with_the_national_provider_links_by_verified_phone(
    world, live_server, new_page, shot
):
    from allauth.socialaccount.models import SocialAccount

    mai = world.people["member"]
    callback = f"{live_server.url}/accounts/oidc/vneid/login/callback/"
    with oidc_provider([callback]) as issuer, override_settings(**provider_settings(issuer)):
        page = new_page(width=360, height=780)
        page.goto("/accounts/login/")
        button = page.get_by_role("button", name="Đăng nhập bằng VNeID")
        shot(page, "oidc-login-360")
        button.click()
        # The provider's own pages (its development sign-in form), on another origin.
        page.wait_for_url(f"{issuer}/interaction/**")
        page.fill("input[name=login]", "mai")
        page.fill("input[name=password]", "any")
        shot(page, "oidc-provider-360")
        page.click("button[type=submit]")
        page.wait_for_selector("text=Continue")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        assert "Xin chào, Mai" in page.inner_text("h1")
        assert SocialAccount.objects.get(provider="vneid").user_id == mai.pk

        page.goto("/profile/")
        page.get_by_role("link", name="Các cách đăng nhập đã liên kết (VNeID…)").click()
        page.wait_for_selector("text=VNeID")
        shot(page, "oidc-linked-signins-360")
        assert page.get_by_role("button", name="Gỡ liên kết").is_visible()
