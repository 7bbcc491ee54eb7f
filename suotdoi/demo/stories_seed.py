"""Demo stories: Mai's story, published with her consent to the text and her name; a model
of the grassroots union (a bookshelf in every union group); a draft waiting for the chair."""

from __future__ import annotations


def seed_stories(world) -> None:
    from suotdoi.stories import actions
    from suotdoi.stories.models import Story

    people, units = world.people, world.units
    chair, mai, g = people["grassroots_chair"], people["member"], units["grassroots"]
    s = actions.story_nominate(
        actor=chair,
        unit=g,
        subject_kind=Story.PERSON,
        subject=mai,
        topic="workplace",
        title="Chị Mai học tin học sau ca làm",
        short_text="Công nhân may Nguyễn Thị Mai tự học tin học văn phòng mỗi tối sau ca làm.",
        body=(
            "<p>Sau mỗi ca làm, chị Mai ở lại phòng máy của công ty thêm một giờ để học tin "
            "học văn phòng cùng các bạn trong tổ.</p><p>Chị nói: <em>“Học chậm mà chắc, "
            "mỗi tối một bài.”</em></p>"
        ),
    )
    s = actions.consent_ask(actor=chair, story=s)
    actions.consent_give(person=mai, story=s, photos=[], facts=["name", "hours_total"])
    s = actions.story_approve(actor=chair, story=Story.objects.get(pk=s.pk))
    actions.story_feature(actor=people["provincial_officer"], story=s, unit=units["federation"])
    m = actions.story_nominate(
        actor=chair,
        unit=g,
        subject_kind=Story.MODEL,
        subject_unit=g,
        topic="model",
        title="Mỗi tổ công đoàn một tủ sách",
        short_text="Tủ sách đặt cạnh phòng nghỉ ca, công nhân mượn sách về nhà đọc.",
        body="<p>Mỗi tổ công đoàn có một tủ sách nhỏ đặt cạnh phòng nghỉ giữa ca.</p>",
    )
    m = actions.consent_ask(actor=chair, story=m)
    actions.story_approve(actor=chair, story=m)
