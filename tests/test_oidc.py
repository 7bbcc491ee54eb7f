"""#18.2: sign-in through OpenID Connect, against a real provider (npm oidc-provider) started
on 127.0.0.1: linking only by a verified phone or a CCCD claim; state, nonce and PKCE; linked
sign-ins listed and removed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from tests.oidc_helpers import oidc_provider, provider_settings, sign_in_at_provider

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/oidc/vneid/login/callback/"


@pytest.fixture(scope="module")
def issuer():
    with oidc_provider([CALLBACK]) as url:
        yield url


@pytest.fixture(autouse=True)
def _provider(issuer):
    with override_settings(**provider_settings(issuer)):
        yield


def _start(c, process="login"):
    r = c.post("/accounts/oidc/vneid/login/", {"process": process})
    assert r.status_code == 302, r.content.decode()[:2000]
    return r["Location"]


def _finish(c, callback_url):
    parts = urlsplit(callback_url)
    return c.get(
        parts.path, parse_qs(parts.query) and {k: v[0] for k, v in parse_qs(parts.query).items()}
    )


def _signed_in(c):
    from django.contrib.auth import get_user

    class R:
        session = c.session

    return get_user(R)


def _sign_in(c, login, process="login"):
    authorize = _start(c, process)
    q = parse_qs(urlsplit(authorize).query)
    # What we ask of the provider: a state, a nonce, a PKCE challenge (S256).
    assert (
        q["state"] and q["nonce"] and q["code_challenge"] and q["code_challenge_method"] == ["S256"]
    )
    return _finish(c, sign_in_at_provider(authorize, login, CALLBACK))


def test_first_sign_in_links_to_the_person_with_that_verified_phone(people, client_for):
    from allauth.socialaccount.models import SocialAccount

    from suotdoi.audit.models import AuditEvent

    mai = people["member"]
    c = client_for(None)
    r = _sign_in(c, "mai")
    assert r.status_code == 302, r.content.decode()[:3000]
    assert _signed_in(c) == mai
    acc = SocialAccount.objects.get(user=mai)
    assert acc.provider == "vneid" and acc.uid == "mai"
    # Only the subject and name are kept with the link.
    assert acc.extra_data == {"userinfo": {"sub": "mai", "name": "Nguyễn Thị Mai"}}
    ev = AuditEvent.objects.get(verb="person.link_signin", target_id=str(mai.pk))
    assert ev.data == {"provider": "vneid", "by": "phone"}
    mai.refresh_from_db()
    assert mai.phone_verified
    # The next sign-in finds the link; nothing new is created.
    c2 = client_for(None)
    assert _sign_in(c2, "mai").status_code == 302
    assert _signed_in(c2) == mai and SocialAccount.objects.count() == 1


@pytest.mark.parametrize("login", ["unverified", "name-only"])
def test_an_unverified_phone_or_a_name_never_links(people, client_for, login):
    from allauth.socialaccount.models import SocialAccount

    from suotdoi.people.models import Person

    count = Person.objects.count()
    c = client_for(None)
    r = _sign_in(c, login)
    # No link, no session: the person is asked to complete a sign-up form instead.
    assert r.status_code == 302 and "/signup/" in r["Location"], r
    assert not _signed_in(c).is_authenticated
    assert SocialAccount.objects.count() == 0 and Person.objects.count() == count


def test_a_cccd_claim_links_and_leaves_the_persons_phone_alone(people, client_for):
    from allauth.socialaccount.models import SocialAccount

    hung = people["group_leader"]
    hung.national_id = "001085000222"
    hung.save()
    c = client_for(None)
    r = _sign_in(c, "hung-cccd")
    # Hùng is an officer: the national sign-in does not skip his second factor.
    assert r.status_code == 302 and r["Location"] == "/accounts/2fa/authenticate/", r
    assert not _signed_in(c).is_authenticated
    hung.refresh_from_db()
    assert hung.phone == "+84912000002"
    assert SocialAccount.objects.get(user=hung).uid == "hung-cccd"


def test_a_phone_never_links_a_person_whose_cccd_differs(people, client_for):
    from allauth.socialaccount.models import SocialAccount

    mai = people["member"]
    mai.national_id = "001190012345"
    mai.save()
    c = client_for(None)
    _sign_in(c, "mai-phone-other-cccd")
    assert _signed_in(c) != mai
    assert not SocialAccount.objects.filter(user=mai).exists()


def test_a_newcomer_gets_a_new_record_with_their_verified_phone_and_cccd(people, client_for):
    from suotdoi.people.models import Person

    c = client_for(None)
    assert _sign_in(c, "newcomer").status_code == 302
    lan = _signed_in(c)
    assert lan.is_authenticated and lan.full_name == "Đỗ Thị Lan"
    lan = Person.objects.get(pk=lan.pk)
    assert lan.phone == "+84987654321" and lan.phone_verified
    assert lan.national_id == "001190077001" and not lan.has_usable_password()


def test_a_wrong_or_replayed_state_signs_no_one_in(people, client_for):
    c = client_for(None)
    authorize = _start(c)
    back = sign_in_at_provider(authorize, "mai", CALLBACK)
    forged = back.replace("state=", "state=x")
    r = _finish(c, forged)
    assert r.status_code == 401 and not _signed_in(c).is_authenticated
    # The genuine answer still works once…
    assert _finish(c, back).status_code == 302 and _signed_in(c) == people["member"]
    # …and not twice, even from a fresh browser holding the same code and state.
    c2 = client_for(None)
    r = _finish(c2, back)
    assert not _signed_in(c2).is_authenticated


def _tamper(c, key, value):
    s = c.session
    states = s["socialaccount_states"]
    for sid in states:
        states[sid][0][key] = value
    s["socialaccount_states"] = states
    s.save()


def test_an_id_token_with_another_nonce_is_refused(people, client_for):
    from allauth.socialaccount.models import SocialAccount

    c = client_for(None)
    authorize = _start(c)
    back = sign_in_at_provider(authorize, "mai", CALLBACK)
    _tamper(c, "nonce", "not-the-nonce-sent")
    r = _finish(c, back)
    assert r.status_code == 401 and not _signed_in(c).is_authenticated
    assert SocialAccount.objects.count() == 0


def test_a_code_without_its_pkce_verifier_is_refused_by_the_provider(people, client_for):
    from allauth.socialaccount.models import SocialAccount

    c = client_for(None)
    authorize = _start(c)
    back = sign_in_at_provider(authorize, "mai", CALLBACK)
    _tamper(c, "pkce_code_verifier", "x" * 64)
    r = _finish(c, back)
    assert r.status_code == 401 and not _signed_in(c).is_authenticated
    assert SocialAccount.objects.count() == 0


def test_a_person_sees_and_removes_a_linked_sign_in(people, client_for):
    from allauth.socialaccount.models import SocialAccount

    from suotdoi.audit.models import AuditEvent

    mai = people["member"]
    c = client_for(mai)
    # Linking from the profile, while signed in.
    assert _sign_in(c, "unverified", process="connect").status_code == 302
    acc = SocialAccount.objects.get(user=mai)
    page = c.get("/accounts/3rdparty/").content.decode()
    assert "VNeID" in page
    # Another person cannot remove it.
    hung = client_for(people["group_leader"])
    r = hung.post("/accounts/3rdparty/", {"account": acc.pk})
    assert SocialAccount.objects.filter(pk=acc.pk).exists()
    r = c.post("/accounts/3rdparty/", {"account": acc.pk})
    assert r.status_code == 302
    assert not SocialAccount.objects.filter(pk=acc.pk).exists()
    assert AuditEvent.objects.filter(verb="person.unlink_signin", target_id=str(mai.pk)).exists()


def test_a_person_with_only_that_sign_in_keeps_it(people, client_for):
    from allauth.socialaccount.models import SocialAccount

    c = client_for(None)
    _sign_in(c, "newcomer")
    lan = _signed_in(c)
    acc = SocialAccount.objects.get(user=lan)
    r = c.post("/accounts/3rdparty/", {"account": acc.pk})
    assert r.status_code == 200
    assert SocialAccount.objects.filter(pk=acc.pk).exists()
