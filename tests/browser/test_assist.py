"""#18.3 in Chromium at 360 px: the union chair, with a signed form photographed, declares
learning for a member who has no phone; the member later sees it marked as entered for her."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"0" * 400


def test_an_officer_declares_for_a_member_without_a_phone(world, new_page, shot, tmp_path):
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from suotdoi.organisations.actions import membership_add
    from suotdoi.people.models import Person
    from suotdoi.records.models import LearningEntry
    from tests.browser.conftest import sign_in

    ba = Person.objects.create_user(
        full_name="Bùi Thị Ba", phone=None, email="ba.bui@example.vn", password=DEMO_PASSWORD
    )
    m, _ = membership_add(
        actor=world.people["grassroots_chair"], unit=world.units["grassroots"], person=ba
    )
    photo = tmp_path / "phieu-dong-y.jpg"
    photo.write_bytes(JPEG)
    chair = new_page(width=360, height=740)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto(f"/units/{world.units['grassroots'].pk}/members/?q=bui+thi+ba")
    chair.get_by_role("link", name="Hỗ trợ thành viên này").first.click()
    chair.wait_for_url(f"**/record/assist/{m.pk}/")
    chair.fill("#id_given_on", dt.date.today().isoformat())
    chair.set_input_files("#id_form_photo", str(photo))
    chair.get_by_role("button", name="Ghi nhận sự đồng ý").click()
    chair.wait_for_selector("#consent-active")
    chair.select_option("#id_kind", "reading")
    chair.fill("#id_title", "Đọc sách “Nuôi gà thả vườn”")
    chair.fill("#id_start_date", (dt.date.today() - dt.timedelta(days=2)).strftime("%d/%m/%Y"))
    chair.fill("#id_hours", "3")
    shot(chair, "assist-declare-360")
    chair.get_by_role("button", name="Lưu vào hồ sơ của thành viên").click()
    chair.wait_for_selector("text=ghi rõ do bạn nhập hộ")
    e = LearningEntry.objects.get(person=ba)
    assert e.entered_by == world.people["grassroots_chair"]

    member = new_page(width=360, height=740)
    sign_in(member, "ba.bui@example.vn", DEMO_PASSWORD)
    member.goto("/record/")
    card = member.locator("li.card", has_text="Nuôi gà thả vườn")
    assert "Do Lê Thị Hương nhập hộ" in card.inner_text()
    assert "Cán bộ của" in member.inner_text("#assist-h + ul")
    shot(member, "assist-member-sees-360")


def test_consent_by_a_code_read_out_then_a_check_in_for_the_member(world, new_page, shot):
    from suotdoi.campaigns.models import Attendance, Task
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from suotdoi.organisations.actions import membership_add
    from suotdoi.people.models import Person
    from tests.browser.conftest import sign_in
    from tests.browser.test_journeys_foundation import _last_code
    from tests.test_campaigns import launched, session_of

    people, units = world.people, world.units
    ba = Person.objects.create_user(full_name="Bùi Thị Ba", phone="+84912777001")
    m, _ = membership_add(actor=people["grassroots_chair"], unit=units["grassroots"], person=ba)
    task = Task.objects.get(campaign=launched(people, units), unit=units["grassroots"])
    session = session_of(people, task)
    chair = new_page(width=360, height=740)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto(f"/record/assist/{m.pk}/")
    chair.get_by_role("button", name="Gửi mã").click()
    code = chair.get_by_label("Mã thành viên đọc cho bạn")
    assert code.get_attribute("inputmode") == "numeric"
    code.fill(_last_code("+84912777001"))
    shot(chair, "assist-code-360")
    chair.get_by_role("button", name="Ghi nhận đồng ý bằng mã này").click()
    chair.wait_for_selector("#consent-active")
    chair.get_by_role("button", name="Điểm danh hộ").click()
    chair.wait_for_load_state()
    shot(chair, "assist-after-checkin-360")
    chair.wait_for_selector("text=ghi rõ do bạn thực hiện hộ")
    shot(chair, "assist-checked-in-360")
    att = Attendance.objects.get(person=ba, session=session)
    assert att.method == "assisted"
