"""#24 in Chromium at 360 px: the grassroots chair nominates Mai from her record with two
photos; Mai, on her phone, agrees to the text and to one photo; the chair approves; the
province features it; the public page (no sign-in) shows only the consented photo, carries
its preview tags, weighs under 100 KB and asks nothing of another host; Mai withdraws and the
page answers 410 with a short note."""

from __future__ import annotations

import io
import re
from urllib.parse import urlparse

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _jpeg(path, color):
    im = Image.new("RGB", (1600, 1200), color)
    for x in range(0, 1600, 40):  # some detail, like a photo, not a flat colour
        for y in range(0, 1200, 40):
            im.putpixel((x, y), (255, 255, 255))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)}
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif, quality=85)
    path.write_bytes(buf.getvalue())
    return str(path)


def test_a_story_is_published_with_consent_and_withdrawn(
    world, new_page, shot, tmp_path, live_server
):
    from suotdoi.demo.world import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from suotdoi.stories.models import Story
    from tests.browser.conftest import sign_in

    units = world.units
    g = units["grassroots"]
    chair = new_page(width=360, height=780)
    sign_in(chair, "0912000003", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    chair.goto(f"/units/{g.pk}/")
    chair.locator("#main").get_by_role("link", name="Gương sáng và mô hình hay").click()
    chair.get_by_label("Tên hoặc số điện thoại của thành viên").fill("mai")
    chair.get_by_role("button", name="Tìm").click()
    chair.get_by_role("listitem").filter(has_text="Nguyễn Thị Mai").get_by_role(
        "link", name="Đề cử từ hồ sơ học tập"
    ).first.click()
    expect(chair.get_by_text("Nguyễn Thị Mai").first).to_be_visible()
    chair.get_by_label("Chủ đề").select_option("workplace")
    chair.get_by_label(re.compile(r"^Tên:?$")).fill("Chị Mai học tin học sau ca làm")
    chair.get_by_label(re.compile("Bản ngắn để chia sẻ")).fill(
        "Công nhân may Nguyễn Thị Mai tự học tin học mỗi tối sau ca làm."
    )
    chair.get_by_label("Nội dung câu chuyện").fill(
        "<p>Sau ca làm, chị Mai ở lại phòng máy của công ty học tin học văn phòng.</p>"
        "<script>alert('x')</script>"
    )
    chair.get_by_role("button", name="Lưu bản nháp").click()
    for name, color, caption, alt in (
        ("lop.jpg", (180, 60, 60), "Chị Mai ở lớp tin học", "Một phụ nữ ngồi trước máy tính"),
        ("to.jpg", (40, 120, 40), "Cả tổ sau giờ làm", "Năm công nhân đứng trước xưởng may"),
    ):
        chair.get_by_label(re.compile("Ảnh \\(JPEG")).set_input_files(_jpeg(tmp_path / name, color))
        chair.get_by_label("Chú thích ảnh").fill(caption)
        chair.get_by_label("Mô tả ảnh cho người không nhìn thấy").fill(alt)
        chair.get_by_role("button", name="Thêm ảnh").click()
        expect(chair.get_by_text("Đã thêm ảnh")).to_be_visible()
    chair.get_by_role("button", name="Xin ý kiến đồng ý trên ứng dụng").click()
    expect(chair.locator("#story-status")).to_have_text("chờ ý kiến đồng ý")
    shot(chair, "stories-asked-360")
    story = Story.objects.get()

    mai = new_page(width=360, height=780)
    sign_in(mai, "0912000001", DEMO_PASSWORD)
    mai.goto("/")
    mai.get_by_role("link", name=re.compile("Chị Mai học tin học sau ca làm")).click()
    mai.get_by_label(re.compile("Chị Mai ở lớp tin học")).check()
    shot(mai, "stories-consent-360")
    mai.get_by_role("button", name="Tôi đồng ý đăng những mục đã chọn").click()
    expect(mai.locator("#story-status")).to_have_text("đã đồng ý, chờ duyệt")

    chair.goto(f"/stories/{story.pk}/")
    expect(chair.locator("#story-status")).to_have_text("đã đồng ý, chờ duyệt")
    chair.get_by_role("button", name="Duyệt và đăng").click()
    expect(chair.locator("#story-status")).to_have_text("đã công bố")

    prov = new_page(width=360, height=780)
    sign_in(prov, "0912000004", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    prov.goto(f"/stories/{story.pk}/")
    prov.get_by_role("button", name=re.compile("Giới thiệu trên trang của Liên đoàn")).click()
    expect(prov.get_by_text("Đã giới thiệu trên trang công khai")).to_be_visible()

    # The public page, signed out: only the consented photo, preview tags, light and local.
    visitor = new_page(width=360, height=780)
    host = urlparse(live_server.url).netloc
    requests, sizes = [], {}
    visitor.on("request", lambda r: requests.append(r.url))

    def size(response):
        try:
            sizes[response.url] = len(response.body())
        except PlaywrightError:  # a redirect has no body
            sizes[response.url] = 0

    visitor.on("response", size)
    visitor.goto(f"/stories/s/{story.public_id}/", wait_until="networkidle")
    expect(visitor.get_by_role("heading", name="Chị Mai học tin học sau ca làm")).to_be_visible()
    expect(visitor.locator("article img")).to_have_count(1)
    expect(visitor.locator("article img")).to_have_attribute(
        "alt", "Một phụ nữ ngồi trước máy tính"
    )
    assert visitor.locator('meta[property="og:image"]').count() == 1
    assert visitor.locator('meta[property="og:title"]').get_attribute("content") == story.title
    assert "alert" not in visitor.content()
    assert all(urlparse(u).netloc == host for u in requests), requests
    total = sum(sizes.values())
    assert total <= 100 * 1024, (total, sizes)
    shot(visitor, "stories-public-360")
    visitor.goto(f"/stories/units/{units['federation'].pk}/")
    expect(visitor.get_by_role("link", name="Chị Mai học tin học sau ca làm")).to_be_visible()

    # She withdraws; the page is gone at once.
    mai.goto(f"/stories/{story.pk}/consent/")
    mai.get_by_role("button", name="Rút lại sự đồng ý của tôi").click()
    expect(mai.get_by_text("Bạn đã rút lại sự đồng ý")).to_be_visible()
    response = visitor.goto(f"/stories/s/{story.public_id}/")
    assert response.status == 410
    expect(
        visitor.get_by_role("heading", name="Câu chuyện này không còn được đăng")
    ).to_be_visible()
    shot(visitor, "stories-gone-360")
