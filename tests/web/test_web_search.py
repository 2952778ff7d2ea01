"""Search: free text that ignores diacritics, skill autocomplete, facet counts, filters,
paging and sort; anonymous visitors see public profiles, signed-in users more."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.support import add_accounts, add_experts, assert_accessible, expert_doc


def _people(db):
    docs = [
        expert_doc(
            1,
            fullName="Nguyễn Minh Đức",
            headline="Thiết kế vi mạch tương tự",
            residenceCountry="US",
            city="San Jose",
            diaspora="OVERSEAS",
            skills=[{"skill": "machine-learning", "level": 4, "years": 6}],
        ),
        expert_doc(
            2,
            fullName="Đặng Thị Thuỷ",
            headline="Robot công nghiệp",
            residenceCountry="DE",
            city="Berlin",
            diaspora="OVERSEAS",
            skills=[{"skill": "robotics", "level": 5, "years": 10}],
        ),
        expert_doc(
            3,
            fullName="Lê Văn Hùng",
            headline="An ninh mạng",
            residenceCountry="VN",
            city="Hà Nội",
            diaspora="DOMESTIC",
            skills=[{"skill": "machine-learning", "level": 2, "years": 1}],
        ),
        expert_doc(
            4,
            fullName="Phạm Thu Hà",
            headline="Học sâu cho y tế",
            residenceCountry="VN",
            city="Đà Nẵng",
            diaspora="RETURNEE",
            visibility="REGISTERED",
            skills=[{"skill": "deep-learning", "level": 4, "years": 5}],
        ),
    ]
    return add_experts(db, docs)


def test_free_text_ignores_diacritics_and_signed_in_users_see_more(db, page):
    _people(db)
    tab = page.open("/search")
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 3 chuyên gia")
    tab.get_by_label("Từ khoá").fill("nguyen duc")
    tab.get_by_role("button", name="Tìm", exact=True).click()
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 1 chuyên gia")
    expect(tab.locator(".result-name a")).to_have_text(["TS. Nguyễn Minh Đức"])
    assert "text=nguyen+duc" in tab.url
    assert_accessible(page)

    # The REGISTERED profile is hidden from visitors, shown once signed in.
    tab.get_by_label("Từ khoá").fill("pham thu ha")
    tab.get_by_role("button", name="Tìm", exact=True).click()
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 0 chuyên gia")
    accounts = add_accounts(db)
    tab = page.open("/search?text=pham+thu+ha", token=accounts.hr)
    expect(tab.locator(".result-name a")).to_have_text(["TS. Phạm Thu Hà"])


def test_skills_autocomplete_in_both_languages_and_facets_narrow_the_results(db, page):
    _people(db)
    tab = page.open("/search")
    combo = tab.get_by_role("combobox", name="Kỹ năng")
    combo.fill("hoc may")  # Vietnamese without diacritics
    option = tab.get_by_role("option", name="Học máy")
    expect(option.first).to_be_visible()
    combo.press("ArrowDown")
    expect(combo).to_have_attribute("aria-activedescendant", "%s-opt-0" % combo.get_attribute("id"))
    combo.press("Enter")
    expect(tab.get_by_role("list", name="Kỹ năng đã chọn")).to_contain_text("Học máy")
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 2 chuyên gia")

    combo.fill("robot")  # English name
    expect(tab.get_by_role("option").first).to_be_visible()
    tab.get_by_role("option").filter(has_text="Robotics").first.click()
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 3 chuyên gia")
    # Two skills: ANY or ALL.
    tab.get_by_label("Có tất cả kỹ năng").check()
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 0 chuyên gia")
    tab.get_by_label("Có ít nhất một kỹ năng").check()

    # Facet counts beside the filters, for the other filters in force.
    diaspora = tab.get_by_role("group", name="Nơi làm việc")
    expect(diaspora.locator("label", has_text="Ở nước ngoài")).to_contain_text("(2)")
    expect(diaspora.locator("label", has_text="Trong nước")).to_contain_text("(1)")
    diaspora.get_by_label("Ở nước ngoài").check()
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 2 chuyên gia")
    countries = tab.get_by_role("group", name="Quốc gia cư trú")
    expect(countries.locator("label", has_text="Đức")).to_contain_text("(1)")
    countries.get_by_label("Đức").check()
    expect(tab.locator(".result-name a")).to_have_text(["TS. Đặng Thị Thuỷ"])

    # Removing a chip and the filters brings the others back; the URL holds the state.
    tab.get_by_role("button", name="Bỏ kỹ năng Học máy").click()
    expect(tab.locator(".result-name a")).to_have_text(["TS. Đặng Thị Thuỷ"])
    assert "skill=robotics" in tab.url and "country=DE" in tab.url
    tab.go_back()
    page.settle()
    expect(tab.get_by_role("list", name="Kỹ năng đã chọn")).to_contain_text("Học máy")
    page.shoot("search-filtered")


def test_paging_and_sort(db, page):
    docs = [
        expert_doc(
            100 + i, fullName=f"Trần Văn Số {i:02d}", yearsExperience=i, headline="Kỹ sư phần mềm"
        )
        for i in range(1, 26)
    ]
    add_experts(db, docs)
    tab = page.open("/search")
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 25 chuyên gia")
    tab.get_by_label("Sắp xếp").select_option("EXPERIENCE")
    expect(tab.locator(".result-name a").first).to_have_text("TS. Trần Văn Số 25")
    expect(tab.locator(".result")).to_have_count(20)
    tab.get_by_role("link", name="Trang sau").click()
    page.settle()
    expect(tab.locator(".result")).to_have_count(5)
    expect(tab.get_by_role("navigation", name="Phân trang")).to_contain_text("Trang 2")
    expect(tab.locator(".result-name a").first).to_have_text("TS. Trần Văn Số 05")
    tab.get_by_role("link", name="Trang trước").click()
    page.settle()
    expect(tab.locator(".result")).to_have_count(20)
    expect(tab.locator(".result-name a").first).to_have_text("TS. Trần Văn Số 25")
    tab.get_by_label("Số năm kinh nghiệm tối thiểu").fill("20")
    tab.get_by_label("Số năm kinh nghiệm tối thiểu").press("Enter")
    expect(tab.locator(".result-summary")).to_have_text("Tìm thấy 6 chuyên gia")


def test_screenshots_of_the_search_page(db, page):
    from tests.web.support import add_background

    add_background(db, 24)
    _people(db)
    page.open("/search")
    page.shoot("search", phone=True, full_page=False)
