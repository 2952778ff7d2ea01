"""Signing in with a token and out again; the language switch; the app shell on a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.support import (
    add_accounts,
    add_experts,
    assert_accessible,
    expert_account,
    expert_doc,
)


def test_a_refused_token_is_explained_and_a_good_one_signs_in_and_out(db, page):
    accounts = add_accounts(db)
    tab = page.open("/signin")
    assert_accessible(page)
    page.shoot("signin")

    tab.get_by_label("Mã truy cập").fill("cg_not-a-real-token")
    tab.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(tab.locator(".field-error")).to_contain_text("không hợp lệ")
    expect(tab.get_by_label("Mã truy cập")).to_have_attribute("aria-invalid", "true")

    tab.get_by_label("Mã truy cập").fill(accounts.lead)
    tab.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.settle()
    # A programme lead lands on the tasks page and sees the lead's navigation.
    expect(tab.locator("h1")).to_have_text("Nhiệm vụ của tôi")
    expect(tab.locator(".account-name")).to_contain_text("Chủ nhiệm Trần Văn Bình")
    expect(tab.locator(".account-name")).to_contain_text("Chủ nhiệm chương trình")
    nav = tab.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Nhiệm vụ")).to_be_visible()
    expect(nav.get_by_role("link", name="Nhập dữ liệu")).to_have_count(0)
    assert tab.evaluate("sessionStorage.getItem('chuyengia.token')") == accounts.lead

    tab.get_by_role("button", name="Đăng xuất").click()
    page.settle()
    expect(tab.locator("h1")).to_have_text("Đăng nhập")
    expect(tab.locator("header").get_by_role("link", name="Đăng nhập")).to_be_visible()
    assert tab.evaluate("sessionStorage.getItem('chuyengia.token')") is None
    # Without a token a signed-in page says why it cannot be shown.
    page.go("/tasks")
    expect(tab.locator("h1")).to_have_text("Cần đăng nhập")


def test_each_role_sees_its_own_pages(db, page):
    accounts = add_accounts(db)
    (expert_id,) = add_experts(db, [expert_doc(1)])
    expert_token = expert_account(db, expert_id)
    tab = page.open("/search", token=accounts.hr)
    nav = tab.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Nhập dữ liệu")).to_be_visible()
    expect(nav.get_by_role("link", name="Hồ sơ của tôi")).to_have_count(0)
    page.go("/tasks/new")
    expect(tab.locator("h1")).to_have_text("Không có quyền truy cập")
    page.go("/me")
    expect(tab.locator("h1")).to_have_text("Không có quyền truy cập")

    tab = page.open("/search", token=expert_token)
    nav = tab.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Hồ sơ của tôi")).to_be_visible()
    expect(nav.get_by_role("link", name="Nhập dữ liệu")).to_have_count(0)


def test_the_english_switch_translates_the_shell_and_is_remembered(db, page):
    tab = page.open("/search")
    assert tab.evaluate("document.documentElement.lang") == "vi"
    tab.get_by_role("button", name="Switch to English").click()
    page.settle()
    expect(tab.locator("h1")).to_have_text("Find experts")
    assert tab.evaluate("document.documentElement.lang") == "en"
    expect(tab.get_by_label("Keywords")).to_be_visible()
    tab.reload()
    page.settle()
    expect(tab.locator("h1")).to_have_text("Find experts")
    tab.get_by_role("button", name="Chuyển sang tiếng Việt").click()
    page.settle()
    expect(tab.locator("h1")).to_have_text("Tìm chuyên gia")


def test_on_a_phone_the_menu_opens_from_a_button_and_works_with_the_keyboard(db, page):
    tab = page.open("/overview")
    tab.set_viewport_size({"width": 390, "height": 844})
    menu = tab.get_by_role("button", name="Danh mục")
    expect(menu).to_be_visible()
    expect(tab.locator("#site-nav")).to_be_hidden()
    menu.focus()
    tab.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(tab.locator("#site-nav")).to_be_visible()
    # No horizontal scrolling on a phone.
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The skip link is the first stop of the keyboard and moves focus to the content.
    tab.set_viewport_size({"width": 1280, "height": 860})
    tab.reload()
    page.settle()
    tab.keyboard.press("Tab")
    expect(tab.locator("#skip-link")).to_be_focused()
    tab.keyboard.press("Enter")
    expect(tab.locator("main")).to_be_focused()
