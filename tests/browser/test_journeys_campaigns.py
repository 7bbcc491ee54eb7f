"""Issue 6 journey: the province launches a campaign to every grassroots union; a chair
schedules a session and shows the rotating QR; members check in from phones (one by hand);
the chair reports; the provincial dashboard shows the unit done."""

import datetime as dt

import pytest

from suotdoi.campaigns import qr
from suotdoi.campaigns.models import Campaign, Task
from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
from suotdoi.organisations.models import Membership
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_campaign_from_launch_to_done(world, new_page, shot):
    today = dt.date.today()
    province = new_page(width=1280, height=900)
    sign_in(province, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    province.goto(f"/campaigns/new/{world.units['federation'].pk}/")
    province.fill("#id_title", "Nghiên cứu, quán triệt bài viết “Học tập suốt đời”")
    province.fill("#id_purpose", "Tổ chức học tập bài viết của Tổng Bí thư Tô Lâm.")
    province.fill("#id_starts_on", today.strftime("%d/%m/%Y"))
    province.fill("#id_ends_on", (today + dt.timedelta(days=60)).strftime("%d/%m/%Y"))
    province.fill("#id_report_due", (today + dt.timedelta(days=45)).strftime("%d/%m/%Y"))
    province.fill("#id_min_attendance_pct", "10")
    province.get_by_label("Công đoàn cơ sở", exact=True).check()
    province.get_by_role("button", name="Lưu dự thảo").click()
    province.get_by_role("button", name="Phát động tới các đơn vị").click()
    province.wait_for_selector("text=Đã phát động")
    campaign = Campaign.objects.get()
    task = Task.objects.get(campaign=campaign, unit=world.units["grassroots"])

    chair = new_page(width=1280, height=900)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto("/campaigns/")
    chair.get_by_role("link", name=campaign.title).first.click()
    chair.select_option("#id_s-kind", "thematic")
    chair.fill("#id_s-title", "Sinh hoạt chuyên đề “Học tập suốt đời”")
    chair.fill("#id_s-starts_at", dt.datetime.now().strftime("%Y-%m-%dT%H:%M"))
    chair.fill("#id_s-hours", "2")
    chair.fill("#id_s-place", "Hội trường công ty")
    chair.get_by_role("button", name="Lên lịch", exact=True).click()
    chair.wait_for_selector("img[alt^='Mã điểm danh']")
    shot(chair, "campaign-session-qr-1280")
    session = task.sessions.get()

    people = [world.people["member"]]
    people += [
        m.person
        for m in Membership.objects.filter(unit_path__startswith=task.unit_path)
        .exclude(person=world.people["member"])
        .exclude(person__phone=None)
        .select_related("person")[:5]
    ]
    checked = 0
    for person in people:
        if checked == 2:
            break
        if person.phone in ("+84912000002", "+84912000003"):
            continue  # officers sign in with two-factor; members are enough here
        phone = new_page(width=360)
        if person == world.people["member"]:
            sign_in(phone, "0912000001", DEMO_PASSWORD)
        else:
            person.set_password(DEMO_PASSWORD)
            person.save()
            sign_in(phone, "0" + person.phone[3:], DEMO_PASSWORD)
        phone.goto(f"/campaigns/checkin/{qr.current_token(session)}/")
        phone.get_by_role("button", name="Tôi có mặt").click()
        phone.wait_for_selector("text=Bạn đã điểm danh")
        if checked == 0:
            shot(phone, "campaign-checkin-360")
        checked += 1
    assert checked == 2

    third = next(
        m.person
        for m in Membership.objects.filter(unit_path__startswith=task.unit_path).select_related(
            "person"
        )
        if not session.attendance.filter(person=m.person).exists()
    )
    chair.reload()
    chair.select_option("#id_person", str(third.pk))
    chair.get_by_role("button", name="Ghi nhận", exact=True).click()
    chair.wait_for_selector(f"text=Đã ghi nhận: {third.full_name}")
    assert session.attendance.count() == 3
    chair.set_input_files(
        "#id_minutes",
        files=[
            {
                "name": "bien-ban.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 Bien ban sinh hoat chuyen de",
            }
        ],
    )
    chair.get_by_role("button", name="Tải lên").click()
    chair.wait_for_selector("text=Đã tải biên bản lên.")

    chair.goto(f"/campaigns/tasks/{task.pk}/")
    chair.fill("#id_note", "Đã tổ chức sinh hoạt chuyên đề, 3 đồng chí tham dự.")
    chair.get_by_role("button", name="Gửi báo cáo").click()
    chair.wait_for_selector("text=Hoàn thành: đạt mọi yêu cầu")

    province.goto(f"/campaigns/{campaign.pk}/")
    totals = province.inner_text("#totals")
    assert totals.startswith("1/4") and "3 trên" in totals and "buổi đã tổ chức" in totals
    shot(province, "campaign-dashboard-1280")
