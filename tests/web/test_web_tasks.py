"""Tasks (programme leads): post and edit a task with the skill picker; the task page with its
candidates, shortlist and decision buttons, and the recommended team."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from registry.decisions import decisions_for_task
from registry.programme_reads import get_task, list_tasks
from registry.programmes import create_task
from tests.web.support import (
    add_accounts,
    add_experts,
    assert_accessible,
    expert_account,
    expert_doc,
)

STATUS = re.compile("Đủ điều kiện|Có thể đủ điều kiện|Chưa đủ điều kiện")


def _ml_experts(db):
    return add_experts(
        db,
        [
            expert_doc(
                1,
                fullName="Nguyễn Minh Đức",
                yearsExperience=15,
                skills=[
                    {"skill": "machine-learning", "level": 5, "years": 10},
                    {"skill": "computer-vision", "level": 4, "years": 6},
                ],
            ),
            expert_doc(
                2,
                fullName="Lê Thu Trang",
                yearsExperience=8,
                skills=[{"skill": "machine-learning", "level": 3, "years": 4}],
            ),
        ],
    )


def test_a_lead_posts_a_task_with_the_skill_picker(db, page):
    accounts = add_accounts(db)
    _ml_experts(db)
    tab = page.open("/tasks", token=accounts.lead)
    expect(tab.locator("main")).to_contain_text("Bạn chưa đăng nhiệm vụ nào.")
    tab.get_by_role("link", name="Đăng nhiệm vụ mới").click()
    page.settle()
    expect(tab.locator("h1")).to_have_text("Đăng nhiệm vụ mới")
    assert_accessible(page)

    # Nothing filled in: every problem is shown where it is, nothing is posted.
    tab.get_by_role("button", name="Đăng nhiệm vụ").click()
    expect(tab.get_by_label("Tên nhiệm vụ")).to_have_attribute("aria-invalid", "true")
    expect(tab.locator("#requirements-error")).to_have_text("Cần ít nhất một kỹ năng.")
    expect(tab.locator("#areas-error")).to_have_text("Chọn ít nhất một nhóm công nghệ.")
    assert not list_tasks(db, status=None).items

    tab.get_by_label("Tên nhiệm vụ").fill("Hệ thống thị giác máy cho dây chuyền bán dẫn")
    tab.get_by_label("Mô tả").fill(
        "Thiết kế và triển khai hệ thống kiểm tra khuyết tật wafer bằng học sâu."
    )
    tab.get_by_label("Vai trò").select_option("CHIEF_ENGINEER")
    expect(tab.get_by_label("Loại tổng công trình sư")).to_be_visible()
    tab.get_by_label("Loại tổng công trình sư").select_option("SYSTEM")
    tab.get_by_label("Số năm kinh nghiệm tối thiểu").fill("10")
    tab.get_by_label("Hình thức làm việc").select_option("HYBRID")
    tab.get_by_label("Thành phố").fill("Hà Nội")
    picker = tab.get_by_role("combobox", name="Thêm kỹ năng")
    picker.fill("machine learn")
    tab.get_by_role("option").filter(has_text="Học máy").first.click()
    row = tab.get_by_role("group", name="Học máy")
    row.get_by_label("Mức tối thiểu").select_option("4")
    row.get_by_label("Bắt buộc").check()
    picker.fill("thi giac")
    tab.get_by_role("option").filter(has_text="Thị giác máy tính").first.click()
    tab.get_by_role("group", name="Thị giác máy tính").get_by_label("Mức quan trọng").select_option(
        "0.6"
    )
    tab.get_by_role("group", name="Nhóm công nghệ").get_by_role("checkbox").first.check()
    tab.get_by_label("Đang mở").check()
    page.shoot("task-form", full_page=True)
    tab.get_by_role("button", name="Đăng nhiệm vụ").click()
    page.settle()

    expect(tab.locator("h1")).to_contain_text("Hệ thống thị giác máy cho dây chuyền bán dẫn")
    (task,) = list_tasks(db, status=None).items
    assert task.status == "OPEN" and task.role_sought == "CHIEF_ENGINEER"
    reqs = {r.skill: r for r in task.requirements}
    assert reqs["machine-learning"].must_have and reqs["machine-learning"].min_level == 4
    assert reqs["computer-vision"].weight == 0.6
    details = tab.locator("section", has=tab.get_by_role("heading", name="Thông tin nhiệm vụ"))
    expect(details).to_contain_text("Học máy")
    expect(details).to_contain_text("Bắt buộc")

    # Edit: the same form, filled in; the change is saved with the version read.
    tab.get_by_role("link", name="Sửa").click()
    page.settle()
    expect(tab.get_by_label("Tên nhiệm vụ")).to_have_value(
        "Hệ thống thị giác máy cho dây chuyền bán dẫn"
    )
    tab.get_by_label("Tên nhiệm vụ").fill("Thị giác máy cho kiểm tra wafer")
    tab.get_by_role("button", name="Lưu nhiệm vụ").click()
    page.settle()
    expect(tab.locator("h1")).to_contain_text("Thị giác máy cho kiểm tra wafer")
    assert get_task(db, task_id=task.id).title == "Thị giác máy cho kiểm tra wafer"


def _posted_task(db, accounts):
    return create_task(
        db,
        posted_by=accounts.lead_id,
        data={
            "title": "Mô hình ngôn ngữ lớn tiếng Việt",
            "description": "Huấn luyện và đánh giá.",
            "roleSought": "PRINCIPAL_INVESTIGATOR",
            "onsite": "REMOTE",
            "techListId": "qd-21-2026",
            "areas": ["ai-digital-twin-xr-2026"],
            "status": "OPEN",
            "minYears": 5,
            "requirements": [
                {"skill": "machine-learning", "weight": 1.0, "mustHave": True, "minLevel": 3},
                {"skill": "computer-vision", "weight": 0.5},
                {"skill": "large-language-models", "weight": 0.8},
            ],
        },
    )


def _others(db):
    """A candidate failing the must-have level, and a PRIVATE profile the lead may not see."""
    return add_experts(
        db,
        [
            expert_doc(
                3,
                fullName="Phạm Văn Yếu",
                skills=[{"skill": "machine-learning", "level": 1, "years": 1}],
            ),
            expert_doc(
                4,
                fullName="Hồ Sơ Kín",
                visibility="PRIVATE",
                hIndex=60,
                skills=[
                    {"skill": "machine-learning", "level": 5, "years": 12},
                    {"skill": "computer-vision", "level": 5, "years": 12},
                    {"skill": "large-language-models", "level": 5, "years": 5},
                ],
            ),
        ],
    )


def test_the_task_page_ranks_candidates_with_shortlist_and_decision_buttons(db, page):
    accounts = add_accounts(db)
    duc, _ = _ml_experts(db)
    _others(db)
    task = _posted_task(db, accounts)
    tab = page.open(f"/tasks/{task.id}", token=accounts.lead)
    expect(tab.locator("h1")).to_have_text(f"{task.code} · Mô hình ngôn ngữ lớn tiếng Việt")
    candidates = tab.locator("#candidates")
    expect(candidates.locator(".loading")).to_have_count(0)
    expect(candidates.locator(".ranking-meta")).to_contain_text("mô hình xếp hạng: transparent-v1")

    # Ranked, best first, each with a score, the reasons, skills and eligibility.
    cards = candidates.locator(".candidate-list > li > .candidate")
    expect(cards).to_have_count(2)  # the PRIVATE profile is not the lead's to see
    expect(candidates).not_to_contain_text("Hồ Sơ Kín")
    first = cards.first
    expect(first.get_by_role("link", name="TS. Nguyễn Minh Đức")).to_be_visible()
    expect(first.locator(".result-name")).to_contain_text("1.")
    expect(first.locator(".score")).to_have_text(re.compile(r"^0,\d+$|^1$"))
    expect(first.locator(".score")).to_have_attribute("aria-label", re.compile("Điểm phù hợp"))
    reasons = first.get_by_role("list", name="Lý do")
    expect(reasons.get_by_role("listitem").first).to_be_visible()
    expect(reasons).to_contain_text("kỹ năng")
    expect(first).to_contain_text("Kỹ năng khớp")
    expect(first.locator(".tag-matched", has_text="Học máy")).to_have_text("Học máy 5/5")
    expect(first.locator(".tag-missing")).to_have_text("Mô hình ngôn ngữ lớn")
    expect(first.locator(".eligibility-line .badge").first).to_have_text(STATUS)
    expect(first.locator(".eligibility-line")).to_contain_text("Nhà khoa học trẻ tài năng")
    second = candidates.get_by_role("article", name="TS. Lê Thu Trang")
    expect(second.locator(".result-name")).to_contain_text("2.")
    # Computer vision counts partly, through machine learning (a sibling in the taxonomy).
    expect(second.locator(".tag-matched", has_text="Thị giác máy tính")).to_contain_text(
        "qua Học máy"
    )
    expect(second.locator(".tag-missing")).to_contain_text("Mô hình ngôn ngữ lớn")
    # The candidate failing the must-have level is reported with the rule, not dropped.
    excluded = candidates.locator("details.excluded")
    expect(excluded.locator("summary")).to_have_text("Không đạt điều kiện bắt buộc (1)")
    excluded.locator("summary").click()
    expect(excluded.get_by_role("link", name="TS. Phạm Văn Yếu")).to_be_visible()
    expect(excluded).to_contain_text("Học máy")

    # The recommended team: a lead, what each adds, what stays uncovered.
    team = tab.locator("#team")
    expect(team.locator(".loading")).to_have_count(0)
    lead = team.locator(".people li").first
    expect(lead.get_by_role("link", name="TS. Nguyễn Minh Đức")).to_be_visible()
    expect(lead).to_contain_text("Trưởng nhóm")
    expect(lead).to_contain_text(re.compile("bổ sung: .*Học máy"))
    expect(team.locator(".team-coverage")).to_contain_text("% yêu cầu kỹ năng")
    expect(team.locator(".tag-missing")).to_have_text("Mô hình ngôn ngữ lớn")
    expect(team).not_to_contain_text("Hồ Sơ Kín")
    assert_accessible(page)

    # Shortlist: the working list beside the candidates.
    first.get_by_role("button", name="Thêm TS. Nguyễn Minh Đức vào danh sách ngắn").click()
    expect(first.locator(".decision-status")).to_have_text("Đã thêm vào danh sách ngắn.")
    shortlist = tab.locator("section", has=tab.get_by_role("heading", name="Danh sách ngắn"))
    expect(shortlist.get_by_role("link", name="TS. Nguyễn Minh Đức")).to_be_visible()

    # A decision, with its reason, recorded for the matcher to learn from.
    expect(first.locator(".decision-current")).to_be_hidden()
    first.get_by_role("combobox", name="Quyết định — TS. Nguyễn Minh Đức").select_option("SELECTED")
    first.get_by_label("Lý do (không bắt buộc)").fill("Đã dẫn dắt dự án tương tự")
    first.get_by_role("button", name="Ghi quyết định về TS. Nguyễn Minh Đức").click()
    expect(first.locator(".decision-status")).to_have_text("Đã ghi quyết định: Chọn.")
    expect(first.locator(".decision-current")).to_have_text(
        "Quyết định hiện tại: Chọn — Đã dẫn dắt dự án tương tự"
    )
    (decision,) = decisions_for_task(db, task_id=task.id)
    assert (decision.expert_id, decision.kind, decision.reason) == (
        duc,
        "SELECTED",
        "Đã dẫn dắt dự án tương tự",
    )
    # The latest decision on each candidate comes back with the page.
    tab.reload()
    page.settle()
    first = tab.locator("#candidates .candidate").first
    expect(first.locator(".decision-current")).to_have_text(
        "Quyết định hiện tại: Chọn — Đã dẫn dắt dự án tương tự"
    )
    expect(tab.locator("#team .people li").first).to_be_visible()
    page.shoot("task", phone=True)

    # Closing the task ends the buttons.
    tab.get_by_role("button", name="Đóng nhiệm vụ").click()
    page.settle()
    expect(tab.locator(".result-meta .badge").first).to_have_text("Đã đóng")
    expect(tab.get_by_role("button", name="Ghi quyết định về TS. Nguyễn Minh Đức")).to_have_count(0)


def test_an_agency_can_shortlist_but_not_decide(db, page):
    accounts = add_accounts(db)
    _ml_experts(db)
    task = _posted_task(db, accounts)
    tab = page.open("/tasks", token=accounts.hr)
    expect(tab.locator("h1")).to_have_text("Nhiệm vụ đang tìm người")
    tab.get_by_role("link", name=f"{task.code} · Mô hình ngôn ngữ lớn tiếng Việt").click()
    page.settle()
    first = tab.locator("#candidates .candidate").first
    expect(
        first.get_by_role("button", name="Thêm TS. Nguyễn Minh Đức vào danh sách ngắn")
    ).to_be_visible()
    expect(tab.get_by_role("button", name="Ghi quyết định về TS. Nguyễn Minh Đức")).to_have_count(0)
    expect(tab.get_by_role("link", name="Sửa")).to_have_count(0)
    expect(first.locator(".score")).to_be_visible()
    expect(first.locator(".decision-current")).to_be_hidden()
    expect(tab.locator("#team .people li").first).to_be_visible()


def test_an_expert_sees_the_task_but_not_its_candidates(db, page):
    accounts = add_accounts(db)
    duc, _ = _ml_experts(db)
    task = _posted_task(db, accounts)
    tab = page.open(f"/tasks/{task.id}", token=expert_account(db, duc))
    expect(tab.locator("h1")).to_have_text(f"{task.code} · Mô hình ngôn ngữ lớn tiếng Việt")
    for section in ("#candidates", "#team"):
        expect(tab.locator(section)).to_contain_text("Chỉ chủ nhiệm đã đăng nhiệm vụ")
    expect(tab.locator(".candidate")).to_have_count(0)
    assert_accessible(page)
