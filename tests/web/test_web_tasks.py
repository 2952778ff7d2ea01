"""Tasks (programme leads): post and edit a task with the skill picker; the task page with its
candidates, shortlist and decision buttons, and the recommended team."""

from __future__ import annotations

from playwright.sync_api import expect

from registry.decisions import decisions_for_task
from registry.programmes import create_task, get_task, list_tasks
from tests.web.support import add_accounts, add_experts, assert_accessible, expert_doc


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
            ],
        },
    )


def test_the_task_page_ranks_candidates_with_shortlist_and_decision_buttons(db, page):
    accounts = add_accounts(db)
    duc, trang = _ml_experts(db)
    task = _posted_task(db, accounts)
    tab = page.open(f"/tasks/{task.id}", token=accounts.lead)
    expect(tab.locator("h1")).to_have_text(f"{task.code} · Mô hình ngôn ngữ lớn tiếng Việt")
    candidates = tab.locator("#candidates")
    expect(candidates.locator(".loading")).to_have_count(0)
    first = candidates.locator(".candidate").first
    expect(first).to_be_visible()
    if candidates.locator("[data-unsupported]").count():
        # Without the matcher the page says so and lists experts found by the task's skills.
        expect(candidates).to_contain_text("chưa cung cấp danh sách ứng viên xếp hạng")
    else:
        expect(first.locator(".score")).to_be_visible()
        expect(first.get_by_role("list", name="Lý do")).to_be_visible()
    expect(first.get_by_role("link", name="TS. Nguyễn Minh Đức")).to_be_visible()
    expect(first).to_contain_text("Kỹ năng khớp")
    expect(first.locator(".tag-matched", has_text="Học máy")).to_be_visible()
    expect(
        candidates.get_by_role("article", name="TS. Lê Thu Trang").locator(".tag-missing")
    ).to_contain_text("Thị giác máy tính")
    team = tab.locator("#team")
    expect(team.locator(".loading")).to_have_count(0)
    if team.locator("[data-unsupported]").count():
        expect(team).to_contain_text("Máy chủ chưa cung cấp đề xuất đội hình")
    else:
        expect(team.get_by_role("link").first).to_be_visible()
    assert_accessible(page)

    # Shortlist: the working list beside the candidates.
    first.get_by_role("button", name="Thêm TS. Nguyễn Minh Đức vào danh sách ngắn").click()
    expect(first.locator(".decision-status")).to_have_text("Đã thêm vào danh sách ngắn.")
    shortlist = tab.locator("section", has=tab.get_by_role("heading", name="Danh sách ngắn"))
    expect(shortlist.get_by_role("link", name="TS. Nguyễn Minh Đức")).to_be_visible()

    # A decision, with its reason, recorded for the matcher to learn from.
    first.get_by_role("combobox", name="Quyết định — TS. Nguyễn Minh Đức").select_option("SELECTED")
    first.get_by_label("Lý do (không bắt buộc)").fill("Đã dẫn dắt dự án tương tự")
    first.get_by_role("button", name="Ghi quyết định về TS. Nguyễn Minh Đức").click()
    expect(first.locator(".decision-status")).to_have_text("Đã ghi quyết định: Chọn.")
    (decision,) = decisions_for_task(db, task_id=task.id)
    assert (decision.expert_id, decision.kind, decision.reason) == (
        duc,
        "SELECTED",
        "Đã dẫn dắt dự án tương tự",
    )
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
