"""My profile: editing with inline validation, a version conflict and its way forward, the
visibility and consent switches, list sections, and the completeness hint."""

from __future__ import annotations

from playwright.sync_api import expect

from registry.experts import read_profile, update_expert
from tests.web.support import add_experts, assert_accessible, expert_account, expert_doc


def _me(db, **overrides):
    (expert_id,) = add_experts(db, [expert_doc(1, fullName="Đặng Thị Thuỷ", **overrides)])
    return expert_id, expert_account(db, expert_id, "Đặng Thị Thuỷ")


def test_edits_are_checked_inline_then_saved(db, page):
    expert_id, token = _me(db)
    tab = page.open("/me", token=token)
    expect(tab.locator("h1")).to_have_text("Hồ sơ của tôi")
    assert_accessible(page)
    basics = tab.locator("#edit-basics")
    # Checked in the browser: a bad e-mail and an empty name are explained under the fields.
    basics.get_by_label("Họ và tên").fill("")
    basics.get_by_label("Thư điện tử").fill("not-an-email")
    basics.get_by_role("button", name="Lưu thông tin cơ bản").click()
    expect(basics.get_by_label("Họ và tên")).to_have_attribute("aria-invalid", "true")
    expect(basics.locator(".field-error", has_text="Bắt buộc nhập.")).to_be_visible()
    expect(basics.locator(".field-error", has_text="chưa đúng dạng")).to_be_visible()
    expect(basics.get_by_label("Họ và tên")).to_be_focused()
    assert read_profile(db, expert_id)["fullName"] == "Đặng Thị Thuỷ"
    # Checked by the server: its reason appears under the field it names.
    basics.get_by_label("Họ và tên").fill("Đặng Thị Thuỷ")
    basics.get_by_label("Thư điện tử").fill("thuy@example.org")
    basics.get_by_label("Số năm kinh nghiệm").fill("15")
    basics.get_by_label("Giới thiệu ngắn").fill("Robot công nghiệp và thị giác máy")
    basics.get_by_role("button", name="Lưu thông tin cơ bản").click()
    expect(basics.locator(".message-ok")).to_have_text("Đã lưu.")
    stored = read_profile(db, expert_id)
    assert stored["headline"] == "Robot công nghiệp và thị giác máy"
    assert stored["yearsExperience"] == 15

    # Skills: pick one with the autocomplete, set its level, save.
    skills = tab.locator("#edit-skills")
    combo = skills.get_by_role("combobox", name="Thêm kỹ năng")
    combo.fill("thi giac may tinh")
    skills.get_by_role("option").filter(has_text="Thị giác máy tính").first.click()
    skills.get_by_label("Mức độ: Thị giác máy tính").select_option("5")
    skills.get_by_label("Số năm: Thị giác máy tính").fill("7")
    skills.get_by_role("button", name="Lưu kỹ năng").click()
    expect(skills.locator(".message-ok")).to_have_text("Đã lưu.")
    saved = {s["skill"]: s["level"] for s in read_profile(db, expert_id)["skills"]}
    assert saved.get("computer-vision") == 5

    # A list section: add a publication through its form.
    pubs = tab.locator("#edit-publications")
    pubs.get_by_role("button", name="+ Thêm").click()
    pubs.get_by_role("button", name="Lưu").click()
    expect(pubs.locator(".field-error", has_text="Bắt buộc nhập.")).to_be_visible()
    pubs.get_by_label("Tên, chức danh").fill("Thị giác máy cho robot hàn")
    pubs.get_by_label("Năm").fill("2023")
    pubs.get_by_label("DOI").fill("10.1234/robot.2023.7")
    pubs.get_by_role("button", name="Lưu").click()
    expect(pubs.locator(".edit-item", has_text="Thị giác máy cho robot hàn")).to_be_visible()
    assert any(
        p["title"] == "Thị giác máy cho robot hàn"
        for p in read_profile(db, expert_id)["publications"]
    )
    page.shoot("my-profile", phone=True, full_page=False)


def test_a_version_conflict_is_explained_with_a_way_forward(db, page):
    expert_id, token = _me(db)
    tab = page.open("/me", token=token)
    basics = tab.locator("#edit-basics")
    basics.get_by_label("Giới thiệu ngắn").fill("Thay đổi của tôi")
    # Meanwhile the profile changes elsewhere (another tab, an administrator).
    version = read_profile(db, expert_id)["version"]
    update_expert(db, expert_id, version, lambda doc: {**doc, "city": "München"})
    basics.get_by_role("button", name="Lưu thông tin cơ bản").click()
    conflict = basics.get_by_role("alert").filter(has_text="Hồ sơ vừa được thay đổi ở nơi khác.")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(f"phiên bản {version}")
    expect(conflict).to_contain_text(f"phiên bản {version + 1}")
    assert read_profile(db, expert_id)["headline"] != "Thay đổi của tôi"
    page.shoot("my-profile-conflict", full_page=False)
    conflict.get_by_role("button", name="Lưu thay đổi của tôi lên bản mới").click()
    expect(basics.locator(".message-ok")).to_have_text("Đã lưu.")
    assert read_profile(db, expert_id)["headline"] == "Thay đổi của tôi"


def test_the_reload_way_forward_shows_the_newer_version(db, page):
    expert_id, token = _me(db)
    tab = page.open("/me", token=token)
    version = read_profile(db, expert_id)["version"]
    update_expert(db, expert_id, version, lambda doc: {**doc, "headline": "Bản mới hơn"})
    tab.locator("#edit-availability select").first.select_option("FULL_TIME")
    tab.locator("#edit-availability").get_by_role("button", name="Lưu thời gian tham gia").click()
    tab.get_by_role("button", name="Tải lại bản mới nhất").click()
    page.settle()
    expect(tab.locator("#edit-basics").get_by_label("Giới thiệu ngắn")).to_have_value("Bản mới hơn")


def test_visibility_and_consent_switches_and_the_completeness_hint(db, page):
    expert_id, token = _me(
        db, headline=None, education=[], skills=[{"skill": "robotics", "level": 4, "years": 0}]
    )
    tab = page.open("/me", token=token)
    hint = tab.locator("#completeness")
    expect(hint).to_contain_text("Mức đầy đủ của hồ sơ")
    expect(hint).to_contain_text("Khai ít nhất 3 kỹ năng (hiện có 1)")
    expect(hint).to_contain_text("Thêm học vấn")
    expect(hint).to_contain_text("Thêm một dòng giới thiệu ngắn")
    hint.get_by_role("link", name="Bổ sung").first.click()

    visibility = tab.locator("#edit-visibility")
    visibility.get_by_label("Riêng tư").check()
    expect(visibility.locator(".message-ok")).to_have_text("Đã lưu.")
    assert read_profile(db, expert_id)["visibility"] == "PRIVATE"
    expect(hint).to_contain_text("Hồ sơ đang ở chế độ riêng tư")
    consent = visibility.get_by_role("switch", name="Cho phép chia sẻ thông tin liên hệ")
    consent.uncheck()
    expect(visibility.locator(".message-ok")).to_have_text("Đã lưu.")
    assert read_profile(db, expert_id)["contactConsent"] is False
    # The private profile is no longer visible to a visitor.
    tab.get_by_role("button", name="Đăng xuất").click()
    page.go(f"/experts/{expert_id}")
    expect(tab.locator("h1")).to_have_text("Không xem được hồ sơ")
