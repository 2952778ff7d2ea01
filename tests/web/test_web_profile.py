"""The expert profile page: every section of the profile, eligibility, collaborators, and
contact details only where the API allows them."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.support import add_accounts, add_experts, assert_accessible, expert_doc

SHARED_PAPER = {
    "title": "Low-power ADC design for edge AI",
    "year": 2021,
    "venue": "ISSCC",
    "doi": "10.1109/isscc.2021.1234",
}


def _two_coauthors(db, *, consent: bool = True):
    main = expert_doc(
        1,
        fullName="Nguyễn Minh Đức",
        contactConsent=consent,
        phone="+1 408 555 0100",
        skills=[
            {"skill": "machine-learning", "level": 4, "years": 6},
            {"skill": "deep-learning", "level": 3, "years": 4},
        ],
        education=[
            {
                "organization": {
                    "name": "Stanford University",
                    "country": "US",
                    "kind": "UNIVERSITY",
                },
                "degree": "PHD",
                "year": 2012,
                "field": "Electrical engineering",
            }
        ],
        publications=[SHARED_PAPER],
    )
    other = expert_doc(
        2, fullName="Trần Thị Mai", publications=[SHARED_PAPER], projects=[], patents=[], awards=[]
    )
    return add_experts(db, [main, other])


def test_the_profile_shows_every_section_and_collaborators(db, page):
    expert_id, other_id = _two_coauthors(db)
    tab = page.open(f"/experts/{expert_id}")
    expect(tab.locator("h1")).to_have_text("TS. Nguyễn Minh Đức")
    skills = tab.locator("#section-skills")
    expect(skills.get_by_role("row", name="Học máy")).to_contain_text("4/5")
    expect(skills.get_by_role("img", name="mức 4 trên 5")).to_have_count(1)
    expect(tab.locator("#section-employment")).to_contain_text("Principal Engineer")
    expect(tab.locator("#section-employment")).to_contain_text("Analog Chips Inc.")
    expect(tab.locator("#section-education")).to_contain_text("Tiến sĩ")
    expect(tab.locator("#section-education")).to_contain_text("Stanford University")
    expect(tab.locator("#section-publications")).to_contain_text("Low-power ADC design for edge AI")
    expect(tab.locator("#section-patents")).to_contain_text("A sigma-delta modulator")
    expect(tab.locator("#section-projects")).to_contain_text("Chủ trì (1)")
    expect(tab.locator("#section-projects")).to_contain_text("Edge AI camera SoC")
    expect(tab.locator("#section-facts")).to_contain_text("Bán thời gian")
    collaborators = tab.locator("#section-collaborators")
    expect(collaborators.get_by_role("link", name="TS. Trần Thị Mai")).to_be_visible()
    expect(collaborators).to_contain_text("1 công trình chung")
    # Eligibility under each scheme: a status and the criteria met, missing or unknown.
    eligibility = tab.locator("#section-eligibility")
    expect(eligibility.locator(".loading")).to_have_count(0)
    expect(eligibility.locator(".scheme")).to_have_count(5)
    chief = eligibility.locator(".scheme", has_text="Kiến trúc sư trưởng")
    expect(chief.locator(".badge")).to_have_text("Đủ điều kiện")  # 12 years of experience
    expect(chief.get_by_role("list", name="Đã đạt").get_by_role("listitem").first).to_be_visible()
    young = eligibility.locator(".scheme", has_text="Nhà khoa học trẻ tài năng")
    expect(young.locator(".badge")).not_to_have_text("Đủ điều kiện")
    # The age limit rests on the birth year, which a visitor may not see: withheld.
    expect(young.get_by_role("list", name="Chưa đủ thông tin")).to_contain_text(
        "ẩn: dựa trên thông tin được bảo vệ"
    )
    expect(eligibility).to_contain_text("không thay cho xét duyệt chính thức")
    assert_accessible(page)
    page.shoot("expert", phone=True)

    collaborators.get_by_role("link", name="TS. Trần Thị Mai").click()
    page.settle()
    expect(tab.locator("h1")).to_have_text("TS. Trần Thị Mai")
    expect(tab.locator("h1")).to_be_focused()


def test_contact_details_follow_consent_and_role(db, page):
    expert_id, _ = _two_coauthors(db, consent=True)
    accounts = add_accounts(db)
    tab = page.open(f"/experts/{expert_id}")
    contact = tab.locator("#section-contact")
    expect(contact).to_contain_text("Đăng nhập bằng tài khoản cơ quan nhân sự")
    expect(contact.get_by_role("link", name="web1@example.org")).to_have_count(0)

    tab = page.open(f"/experts/{expert_id}", token=accounts.hr)
    contact = tab.locator("#section-contact")
    expect(contact.get_by_role("link", name="web1@example.org")).to_be_visible()
    expect(contact).to_contain_text("+14085550100")  # stored in E.164 form


def test_without_consent_an_agency_is_told_why_there_is_no_contact(db, page):
    expert_id, _ = _two_coauthors(db, consent=False)
    accounts = add_accounts(db)
    tab = page.open(f"/experts/{expert_id}", token=accounts.hr)
    contact = tab.locator("#section-contact")
    expect(contact).to_contain_text("Chuyên gia chưa đồng ý chia sẻ thông tin liên hệ")
    expect(contact.get_by_role("link")).to_have_count(0)


def test_a_profile_for_registered_users_only_is_not_shown_to_visitors(db, page):
    (expert_id,) = add_experts(db, [expert_doc(5, visibility="REGISTERED")])
    tab = page.open(f"/experts/{expert_id}")
    expect(tab.locator("h1")).to_have_text("Không xem được hồ sơ")
    expect(tab.locator("main")).to_contain_text("chỉ dành cho người đã đăng nhập")
