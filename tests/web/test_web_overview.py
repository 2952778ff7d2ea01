"""Overview: counts of experts by strategic-technology group, country and diaspora status,
drawn as inline SVG charts with their numbers in tables."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.support import add_background, add_experts, assert_accessible, expert_doc


def test_charts_count_experts_by_group_country_and_diaspora(db, page):
    add_experts(
        db,
        [
            expert_doc(1, residenceCountry="US", diaspora="OVERSEAS"),
            expert_doc(2, residenceCountry="US", diaspora="OVERSEAS"),
            expert_doc(
                3,
                residenceCountry="JP",
                diaspora="OVERSEAS",
                skills=[{"skill": "robotics", "level": 4, "years": 3}],
            ),
            expert_doc(4, residenceCountry="VN", diaspora="RETURNEE"),
            expert_doc(5, residenceCountry="VN", diaspora="DOMESTIC", visibility="REGISTERED"),
        ],
    )
    tab = page.open("/overview")
    expect(tab.locator("h1")).to_have_text("Tổng quan mạng lưới chuyên gia")
    expect(tab.locator(".lead")).to_contain_text("Tổng số 4 chuyên gia.")  # public profiles
    diaspora = tab.locator("#chart-diaspora")
    expect(diaspora.get_by_role("img", name="Theo nơi làm việc")).to_be_visible()
    expect(diaspora.locator("rect")).to_have_count(3)
    diaspora.get_by_text("Xem bảng số liệu").click()
    expect(diaspora.get_by_role("row", name="Ở nước ngoài")).to_contain_text("3")
    expect(diaspora.get_by_role("row", name="Đã về nước")).to_contain_text("1")
    country = tab.locator("#chart-country")
    country.get_by_text("Xem bảng số liệu").click()
    expect(country.get_by_role("row", name="Hoa Kỳ")).to_contain_text("2")
    expect(country.get_by_role("row", name="Nhật Bản")).to_contain_text("1")
    area = tab.locator("#chart-area")
    area.get_by_text("Xem bảng số liệu").click()
    expect(area.get_by_role("row", name="Robot và tự động hóa")).to_contain_text("1")
    assert_accessible(page)

    # Signed in, the counts include the profiles shared with registered users.
    from tests.web.support import add_accounts

    accounts = add_accounts(db)
    tab = page.open("/overview", token=accounts.hr)
    expect(tab.locator(".lead")).to_contain_text("Tổng số 5 chuyên gia.")
    # A diaspora card leads to the search filtered by it.
    tab.get_by_role("link", name="Đã về nước").click()
    page.settle()
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 1 chuyên gia")


def test_screenshots_of_the_overview(db, page):
    add_background(db, 40, seed=7)
    page.open("/overview")
    page.shoot("overview", phone=True)
