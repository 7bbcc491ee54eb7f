"""#24 stories: nothing is public without the subject's consent to that very text; only the
consented photos and facts show; photos lose their EXIF (place, camera) and are bounded;
withdrawing consent or a takedown answers 410 at once; a minor needs a guardian."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from suotdoi.core.errors import Conflict, PermissionDenied, ValidationFailed
from suotdoi.stories import actions, rules, selectors
from suotdoi.stories.models import Story

pytestmark = pytest.mark.django_db


def jpeg_with_gps(name="anh.jpg", size=(2400, 1600), color=(200, 40, 40)) -> SimpleUploadedFile:
    im = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotate 90°
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)}  # GPS
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def nominated(people, units, **kw):
    """Mai's story, drafted by her grassroots union's chair."""
    fields = {
        "topic": "workplace",
        "title": "Chị Mai học tin học sau ca làm",
        "body": "<p>Chị học <strong>mỗi tối</strong>.</p><script>alert(1)</script>",
        "short_text": "Công nhân may học tin học sau ca làm.",
        **kw,
    }
    return actions.story_nominate(
        actor=people["grassroots_chair"],
        unit=units["grassroots"],
        subject_kind=Story.PERSON,
        subject=people["member"],
        **fields,
    )


@pytest.fixture
def story(people, units):
    chair = people["grassroots_chair"]
    s = nominated(people, units)
    actions.photo_add(
        actor=chair,
        story=s,
        upload=jpeg_with_gps(),
        caption="Chị Mai ở lớp",
        alt_text="Một phụ nữ ngồi trước máy tính",
    )
    actions.photo_add(
        actor=chair,
        story=s,
        upload=jpeg_with_gps("b.jpg", color=(0, 90, 0)),
        caption="Cả tổ",
        alt_text="Năm người đứng trước xưởng may",
    )
    return Story.objects.get(pk=s.pk)


def test_photos_are_re_encoded_without_exif_and_bounded(story):
    for p in story.photos.all():
        with Image.open(p.image.open("rb")) as im:
            assert im.format == "JPEG" and max(im.size) <= rules.FULL_EDGE
            assert not im.getexif()  # no GPS, no camera, no orientation left
            assert im.size == (800, 1200)  # turned upright by the orientation, then bounded
        with Image.open(p.thumb.open("rb")) as im:
            assert max(im.size) <= rules.THUMB_EDGE and not im.getexif()
        p.image.open("rb")
        assert b"PhoneMaker" not in p.image.read()


def test_bad_pictures_are_refused_with_a_reason(story, people):
    chair = people["grassroots_chair"]
    cases = [
        SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"),
        SimpleUploadedFile(
            "x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"
        ),
    ]
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")  # 400 megapixels in a small file
    cases.append(SimpleUploadedFile("bomb.png", bomb.getvalue(), content_type="image/png"))
    for upload in cases:
        with pytest.raises(ValidationFailed):
            actions.photo_add(actor=chair, story=story, upload=upload, caption="x", alt_text="x")
    with pytest.raises(ValidationFailed):
        actions.photo_add(
            actor=chair, story=story, upload=jpeg_with_gps(), caption="x", alt_text=" "
        )
    assert story.photos.count() == 2


def test_the_body_is_sanitised_and_the_facts_come_from_the_record(story):
    assert "<script>" not in story.body and "<strong>mỗi tối</strong>" in story.body
    keys = [f["key"] for f in story.facts]
    assert keys[0] == "name" and story.facts[0]["value"] == "Nguyễn Thị Mai"


def test_no_publication_without_consent_to_this_very_text(story, people, client):
    chair, mai = people["grassroots_chair"], people["member"]
    with pytest.raises(Conflict):
        actions.story_approve(actor=chair, story=story)
    story = actions.consent_ask(actor=chair, story=story)
    with pytest.raises(Conflict):
        actions.story_approve(actor=chair, story=story)
    with pytest.raises(PermissionDenied):  # the officer cannot consent for her in the app
        actions.consent_give(person=chair, story=story, photos=[], facts=[])
    first, second = list(story.photos.all())
    actions.consent_give(person=mai, story=story, photos=[first.pk, 99999], facts=["hours_total"])
    # An edit after her consent voids it: asked again before anything is public.
    actions.story_edit(
        actor=chair,
        story=story,
        title=story.title + "!",
        body=story.body,
        short_text=story.short_text,
        topic=story.topic,
    )
    with pytest.raises(Conflict):
        actions.story_approve(actor=chair, story=Story.objects.get(pk=story.pk))
    story = actions.consent_ask(actor=chair, story=Story.objects.get(pk=story.pk))
    actions.consent_give(person=mai, story=story, photos=[first.pk], facts=["hours_total"])
    story = actions.story_approve(actor=chair, story=Story.objects.get(pk=story.pk))
    page = client.get(f"/stories/s/{story.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/photos/{first.pk}/" in html and f"/photos/{second.pk}/" not in html
    assert "Nguyễn Thị Mai" not in html  # her name was not among the facts she ticked
    assert 'property="og:image"' in html and 'property="og:title"' in html
    assert (
        client.get(f"/stories/s/{story.public_id}/photos/{second.pk}/full.jpg").status_code == 404
    )
    assert client.get(f"/stories/s/{story.public_id}/photos/{first.pk}/full.jpg").status_code == 200
    assert len(page.content) < 30_000
    # She withdraws: at once 410, photos gone.
    actions.consent_withdraw(person=mai, story=story)
    assert client.get(f"/stories/s/{story.public_id}/").status_code == 410
    assert (
        client.get(f"/stories/s/{story.public_id}/photos/{first.pk}/thumb.jpg").status_code == 404
    )
    assert not selectors.public_stories().exists()


def test_a_takedown_answers_410_with_the_note(story, people, client):
    chair, mai = people["grassroots_chair"], people["member"]
    story = actions.consent_ask(actor=chair, story=story)
    actions.consent_give(person=mai, story=story, photos=[], facts=["name"])
    story = actions.story_approve(actor=chair, story=Story.objects.get(pk=story.pk))
    assert "Nguyễn Thị Mai" in client.get(f"/stories/s/{story.public_id}/").content.decode()
    with pytest.raises(ValidationFailed):
        actions.story_take_down(actor=chair, story=story, reason=" ")
    actions.story_take_down(actor=chair, story=story, reason="Sai thông tin")
    assert client.get(f"/stories/s/{story.public_id}/").status_code == 410


def test_a_minor_needs_a_guardian_and_only_the_guardian_consents(people, units):
    from suotdoi.people.models import Person

    chair = people["grassroots_chair"]
    child = Person.objects.create_user(
        full_name="Lê Minh An",
        password=None,
        date_of_birth=dt.date.today().replace(year=dt.date.today().year - 12),
    )
    s = actions.story_nominate(
        actor=chair,
        unit=units["grassroots"],
        subject_kind=Story.PERSON,
        subject=child,
        topic="citizen",
        title="Em An đọc sách",
        body="<p>x</p>",
        short_text="x",
    )
    with pytest.raises(ValidationFailed) as exc:
        actions.consent_ask(actor=chair, story=s)
    assert exc.value.code == "guardian_needed"
    s = actions.story_edit(
        actor=chair,
        story=s,
        title=s.title,
        body=s.body,
        short_text="x",
        topic="citizen",
        guardian=people["member"],
    )
    s = actions.consent_ask(actor=chair, story=s)
    with pytest.raises(PermissionDenied):
        actions.consent_give(person=child, story=s, photos=[], facts=[])
    c = actions.consent_give(person=people["member"], story=s, photos=[], facts=[])
    assert c.as_guardian


def test_consent_by_a_code_read_back_to_the_officer(story, people):
    from suotdoi.core import sms

    chair = people["grassroots_chair"]
    story = actions.consent_ask(actor=chair, story=story)
    sms.MemoryBackend.outbox.clear()
    actions.consent_code_send(actor=chair, story=story)
    sent = sms.MemoryBackend.outbox[-1]
    assert sent["to"] == people["member"].phone
    code = "".join(ch for ch in sent["text"] if ch.isdigit())[:6]
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationFailed):
        actions.consent_give(
            person=None, story=story, photos=[], facts=[], code=wrong, recorded_by=chair
        )
    c = actions.consent_give(
        person=None, story=story, photos=[], facts=["name"], code=code, recorded_by=chair
    )
    assert c.method == "code" and c.recorded_by == chair and c.person == people["member"]


def test_featuring_is_for_units_above_and_pages_are_scoped(story, people, client_for, units):
    chair, mai = people["grassroots_chair"], people["member"]
    story = actions.consent_ask(actor=chair, story=story)
    actions.consent_give(person=mai, story=story, photos=[], facts=[])
    story = actions.story_approve(actor=chair, story=Story.objects.get(pk=story.pk))
    with pytest.raises(PermissionDenied):
        actions.story_feature(actor=chair, story=story, unit=units["foreign_federation"])
    prov = client_for(people["provincial_officer"])
    r = prov.post(f"/stories/{story.pk}/", {"feature": units["federation"].pk})
    assert r.status_code == 302
    assert Story.objects.get(pk=story.pk).featured_by == units["federation"]
    page = client_for(mai).get(f"/stories/units/{units['federation'].pk}/")
    assert story.title in page.content.decode()
    foreign = client_for(people["foreign_officer"])
    assert foreign.get(f"/stories/{story.pk}/").status_code == 404
    assert (
        foreign.post(f"/stories/{story.pk}/", {"take_down": "1", "reason": "x"}).status_code == 404
    )
    assert Story.objects.get(pk=story.pk).status == Story.PUBLISHED


def test_a_units_story_needs_no_personal_consent_and_a_family_one_does(people, units, client_for):
    chair, mai = people["grassroots_chair"], people["member"]
    client = client_for(chair)
    g = units["grassroots"]
    r = client.post(
        f"/stories/units/{g.pk}/nominate/",
        {
            "kind": "model",
            "topic": "model",
            "title": "Tủ sách công nhân",
            "short_text": "x",
            "body": "<p>Mỗi tổ một tủ sách.</p>",
        },
    )
    assert r.status_code == 302
    s = Story.objects.get(title="Tủ sách công nhân")
    assert s.subject_id is None and s.facts[0]["value"] == g.name
    s = actions.consent_ask(actor=chair, story=s)
    assert s.status == Story.CONSENTED  # the approving officer answers for it
    s = actions.story_approve(actor=chair, story=s)
    assert client.get(f"/stories/s/{s.public_id}/").status_code == 200
    # A person cannot be made the subject of a model's story; a family's story is consented
    # by the member who speaks for it.
    with pytest.raises(ValidationFailed):
        actions.story_nominate(
            actor=chair,
            unit=g,
            subject_kind="model",
            subject=mai,
            topic="model",
            title="x",
            body="x",
            short_text="x",
        )
    f = actions.story_nominate(
        actor=chair,
        unit=g,
        subject_kind="family",
        subject=mai,
        topic="family",
        title="Gia đình chị Mai",
        body="x",
        short_text="x",
    )
    f = actions.consent_ask(actor=chair, story=f)
    assert f.status == Story.ASKED
    assert (
        client_for(people["foreign_officer"]).get(f"/stories/units/{g.pk}/nominate/").status_code
        == 404
    )


def test_nominating_from_the_page_keeps_where_it_came_from(people, units, client_for):
    from suotdoi.organisations.models import Membership

    chair, mai = people["grassroots_chair"], people["member"]
    m = Membership.objects.filter(person=mai, unit__path__startswith=units["grassroots"].path)[0]
    client = client_for(chair)
    data = {
        "kind": "family",
        "topic": "family",
        "title": "Gia đình chị Mai",
        "short_text": "x",
        "body": "<p>x</p>",
    }
    assert client.post(f"/stories/nominate/{m.pk}/?from=decision:12", data).status_code == 302
    assert client.post(f"/stories/nominate/{m.pk}/?from=javascript:1", data).status_code == 302
    sources = list(Story.objects.order_by("pk").values_list("subject_kind", "source"))
    assert sources == [("family", "decision:12"), ("family", "record")]
    assert (
        client_for(people["foreign_officer"]).post(f"/stories/nominate/{m.pk}/", data).status_code
        == 404
    )


def test_a_commended_member_can_be_nominated_from_the_commendation(people, units, client_for):
    import datetime as dt

    from suotdoi.organisations.models import Membership
    from suotdoi.recognition.models import Commendation

    g, mai = units["grassroots"], people["member"]
    c = Commendation.objects.create(
        kind=Commendation.GIAY_KHEN,
        year=2026,
        person=mai,
        proposed_by=units["group"],
        deciding_unit=g,
        deciding_path=g.path,
        justification="Học tập tốt",
        status=Commendation.APPROVED,
        decision_number="12/QĐ-CĐCS",
        decision_date=dt.date(2026, 5, 1),
        created_by=people["grassroots_chair"],
    )
    m = Membership.objects.filter(person=mai, unit_path__startswith=g.path, end_date__isnull=True)
    page = client_for(people["grassroots_chair"]).get(f"/recognition/units/{g.pk}/")
    assert f"/stories/nominate/{m.order_by('-pk')[0].pk}/?from=commendation:{c.pk}" in (
        page.content.decode()
    )
    facts = {f["key"] for f in selectors.facts_for(person=mai)}
    assert f"commendation:{c.pk}" in facts


def test_plain_text_keeps_its_paragraphs(people, units):
    s = nominated(people, units, body="Đoạn một.\nDòng hai & ba.\n\nĐoạn hai.")
    assert s.body == "<p>Đoạn một.<br>Dòng hai &amp; ba.</p><p>Đoạn hai.</p>"
