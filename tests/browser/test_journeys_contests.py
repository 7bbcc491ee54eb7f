"""#22 in Chromium: a worker takes a round at 360 px, loses the connection mid-way, resumes with
the same deadline, hands in with her prediction; the board reviews the flag and publishes; the
ranking and the units' participation show."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_takes_a_round_resumes_and_the_board_publishes(world, new_page, shot):
    from django.utils import timezone

    from suotdoi.contests import actions
    from suotdoi.contests.models import Answer, Round, Sitting
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from tests.browser.conftest import sign_in, until

    people, units = world.people, world.units
    chair_p = people["grassroots_chair"]
    c = actions.contest_create(
        actor=chair_p, unit=units["grassroots"], title="Tìm hiểu Luật Công đoàn 2024",
        rules_text="5 câu hỏi trắc nghiệm, 1 câu dự đoán. Mỗi người một lượt.",
    )  # fmt: skip
    for i in range(8):
        actions.question_add(
            actor=chair_p, contest=c, text=f"Theo Luật Công đoàn, điều {i + 1} nói gì?",
            choices=[f"Phương án {k}" for k in "ABCD"], correct=i % 4, category="luat",
        )  # fmt: skip
    now = timezone.now()
    rnd = actions.round_add(
        actor=chair_p, contest=c, opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=2), draw={"luat": 5}, minutes=20, attempts=1,
        tiebreak="Bao nhiêu người sẽ dự thi đợt này?",
    )  # fmt: skip

    mai = new_page(width=360, height=780)
    sign_in(mai, "0912000001", DEMO_PASSWORD)
    mai.goto("/contests/")
    mai.get_by_role("link", name=re.compile("Luật Công đoàn 2024")).click()
    with mai.expect_response(re.compile(r"/contests/s/")) as started:  # the page's script
        mai.get_by_role("button", name="Vào thi").click()
    assert started.value.status == 200
    expect(mai.get_by_text("Câu 1/5")).to_be_visible()
    s = Sitting.objects.get()
    saved = Answer.objects.filter(sitting=s).count
    for k in range(3):
        # Each answer is saved the moment it is given (the page's script, no page load).
        mai.get_by_role("radio").first.check()
        mai.get_by_role("button", name="Lưu và làm tiếp").click()
        until(lambda k=k: saved() == k + 1, f"answer {k + 1} saved")
    expect(mai.get_by_text("Câu 4/5")).to_be_visible()
    expect(mai.locator("#time-left")).to_contain_text("3/5")
    shot(mai, "contests-sitting-360")
    deadline = s.deadline
    # The connection drops; later she opens the contest again and goes on.
    mai.goto("/")
    mai.goto(f"/contests/{c.pk}/")
    mai.get_by_role("link", name=re.compile("Đợt 1, lượt 1")).click()
    expect(mai.locator("#time-left")).to_contain_text("3/5")
    s.refresh_from_db()
    assert s.deadline == deadline
    # No signal on the fourth: the answer stays on the phone and goes when the signal is back.
    mai.context.set_offline(True)
    mai.get_by_role("radio").nth(1).check()
    mai.get_by_role("button", name="Lưu và làm tiếp").click()
    expect(mai.get_by_role("status")).to_contain_text("giữ trên điện thoại")
    expect(mai.get_by_text("Câu 5/5")).to_be_visible()
    shot(mai, "contests-offline-360")
    assert saved() == 3
    mai.context.set_offline(False)
    until(lambda: saved() == 4, "the answer kept offline sent when back online")
    mai.get_by_role("radio").first.check()
    mai.get_by_role("button", name="Lưu và làm tiếp").click()  # the last: on to hand in
    mai.get_by_label("Bao nhiêu người sẽ dự thi đợt này?").fill("1")
    mai.get_by_role("button", name="Nộp bài").first.click()
    expect(mai.locator("#score")).to_contain_text("trên 5")
    shot(mai, "contests-result-360")

    # The round closes; the board reviews the flag (answered at test speed) and publishes.
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    chair = new_page(width=1280, height=900)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto(f"/contests/rounds/{rnd.pk}/")
    chair.get_by_role("button", name="Công bố kết quả").click()
    expect(chair.get_by_text("trả lời nhanh hơn thời gian đọc câu hỏi")).to_be_visible()
    chair.get_by_label("Lý do").fill("Đã gọi điện xác minh")
    chair.get_by_role("button", name="Giữ lại").click()
    chair.get_by_role("button", name="Công bố kết quả").click()
    expect(chair.locator("#published")).to_be_visible()
    shot(chair, "contests-ranking-desktop")
    mai.goto(f"/contests/rounds/{rnd.pk}/")
    expect(mai.locator("#ranking")).to_contain_text("Nguyễn Thị Mai")
    mai.goto(f"/contests/{c.pk}/units/")
    expect(mai.locator("#rates")).to_contain_text("%")
    shot(mai, "contests-units-360")
