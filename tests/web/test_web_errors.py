"""The server's reasons in the page's language: a field error's code and params become
Vietnamese (or English, after switching) text under the field or beside the form's label, an
import row's errors likewise, and GraphQL error codes get their own messages."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from registry.experts import read_profile
from tests.web.support import add_accounts, add_experts, expert_account, expert_doc

BAD_ORCID = "0000-0002-1825-0098"  # the right check digit is 7


def _switch_language(page) -> None:
    page.tab.locator("button.lang-switch").click()
    page.settle()


def test_a_profile_edit_explains_the_server_reasons_in_vietnamese_then_english(db, page):
    (expert_id,) = add_experts(db, [expert_doc(1, fullName="Đặng Thị Thuỷ")])
    token = expert_account(db, expert_id, "Đặng Thị Thuỷ")
    tab = page.open("/me", token=token)
    basics = tab.locator("#edit-basics")
    # Both pass the browser's checks (a well-formed ORCID iD, two-letter codes); the server
    # refuses them, each with a code.
    basics.get_by_label("ORCID").fill(BAD_ORCID)
    basics.get_by_label("Ngôn ngữ").fill("vi, xx")
    basics.get_by_role("button", name="Lưu thông tin cơ bản").click()
    orcid_error = basics.locator(".field-error", has_text="ORCID")
    expect(orcid_error).to_have_text(
        "Mã ORCID không hợp lệ (sai chữ số kiểm tra); hãy sao chép lại từ orcid.org.")
    expect(basics.get_by_label("ORCID")).to_have_attribute("aria-invalid", "true")
    # An error without a control of its own is listed with the form's label, not its path.
    status = basics.get_by_role("alert")
    expect(status).to_contain_text("Chưa lưu được")
    expect(status.get_by_role("listitem")).to_have_text(
        "Ngôn ngữ (mục 2): Phải là mã ngôn ngữ 2 chữ cái (ISO 639-1), ví dụ vi hoặc en.")
    expect(basics).not_to_contain_text("check digit")
    expect(basics).not_to_contain_text("languages.1")
    page.shoot("my-profile-errors", full_page=False)
    assert read_profile(db, expert_id)["version"] == 1  # nothing was written

    # A list item: the year passes the browser's range, not the server's.
    latest = dt.date.today().year + 10
    pubs = tab.locator("#edit-publications")
    pubs.get_by_role("button", name="+ Thêm").click()
    pubs.get_by_label("Tên, chức danh").fill("Thị giác máy cho robot hàn")
    pubs.get_by_label("Năm").fill(str(latest + 5))
    pubs.get_by_role("button", name="Lưu").click()
    expect(pubs.locator(".field-error:not([hidden])")).to_have_text(f"Phải từ 1900 đến {latest}.")
    expect(pubs.get_by_label("Năm")).to_have_attribute("aria-invalid", "true")

    _switch_language(page)
    expect(tab.locator("h1")).to_have_text("My profile")
    basics = tab.locator("#edit-basics")
    basics.get_by_label("ORCID iD").fill(BAD_ORCID)
    basics.get_by_label("Languages").fill("vi, xx")
    basics.get_by_role("button", name="Save basic details").click()
    expect(basics.locator(".field-error", has_text="ORCID")).to_have_text(
        "Not a valid ORCID iD (wrong check digit); copy it again from orcid.org.")
    expect(basics.get_by_role("alert").get_by_role("listitem")).to_have_text(
        "Languages (item 2): Must be a two-letter language code (ISO 639-1) such as vi or en.")


ROWS = [
    "fullName,email,residenceCountry,languages,skills,organization,title,since",
    "Nguyễn Văn An,an@example.org,JP,vi;ja,machine-learning:4:6,,,",
    "Lê Quang Cường,cuong@example.org,KR,vi;ko,not-a-skill:3,,,",  # an unknown skill
    "Trần Thị Bích,not-an-email,VN,vi,deep-learning:3,,,",  # a bad e-mail address
    "Phạm Minh Dũng,dung@example.org,US",  # too few fields: the row as a whole
]
# Per language: the file field, the button, the first row's status, the other rows' details.
IMPORTS = {
    "vi": ("Tệp dữ liệu", "Nhập dữ liệu", "Tạo mới", [
        "Kỹ năng (mục 1) › Kỹ năng: Không có kỹ năng “not-a-skill” trong hệ thống.",
        "Thư điện tử: Địa chỉ thư điện tử chưa đúng dạng, ví dụ ten@vien.vn.",
        "Dòng có 3 cột, trong khi dòng tiêu đề có 8 cột."]),
    "en": ("Data file", "Import", "Unchanged", [
        "Skills (item 1) › Skill: There is no skill “not-a-skill” in the registry.",
        "E-mail: Must be an e-mail address such as name@institute.org.",
        "The row has 3 fields; the header has 8."]),
}


def test_an_import_explains_each_bad_row_in_vietnamese_then_english(db, page, tmp_path):
    accounts = add_accounts(db)
    upload = tmp_path / "chuyen-gia.csv"
    upload.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    tab = page.open("/import", token=accounts.hr)
    for language, (file_label, submit, first, details) in IMPORTS.items():
        if language == "en":
            _switch_language(page)  # the same file again: the good row is now unchanged
        tab.get_by_label(file_label).set_input_files(str(upload))
        tab.get_by_role("button", name=submit, exact=True).click()
        rows = tab.locator(".import-rows tbody tr")
        expect(rows).to_have_count(4)
        expect(rows.nth(0)).to_contain_text(first)
        for i, detail in enumerate(details, start=1):
            expect(rows.nth(i).locator("td").nth(2)).to_have_text(detail)
        expect(tab.locator(".import-rows")).not_to_contain_text("is not a skill of the taxonomy")


_CHECK = """async () => {
  const p = await import('/js/components/problems.js');
  const ui = await import('/js/components/ui.js');
  return {
    newCode: p.fieldErrorText({ code: 'SOMETHING_NEW', reason: 'is odd in a new way', params: {} }),
    missingParam: p.fieldErrorText({ code: 'TOO_LONG', reason: 'must be short', params: {} }),
    label: p.fieldLabel('profile.publications[2].title'),
    many: p.fieldErrorText({ code: 'OUT_OF_RANGE', reason: 'x', params: { min: 0, max: 10000000 } }),
    role: p.fieldErrorText({ code: 'NOT_APPLICABLE', reason: 'x',
      params: { field: 'roleSought', value: 'CHIEF_ENGINEER' } }),
    notFound: ui.errorText({ message: 'Expert x was not found', errors: [{ extensions: { code: 'NOT_FOUND' } }] }),
    badInput: ui.errorText({ message: 'The input is invalid', errors: [{ extensions: { code: 'BAD_USER_INPUT',
      fields: [{ path: 'first', code: 'OUT_OF_RANGE', reason: 'x', params: { min: 0, max: 100 } }] } }] }),
    refused: ui.errorText({ message: 'only the lead', errors: [{ extensions: { code: 'FORBIDDEN', notAllowedCode: 'NOT_OWNER' } }] }),
    unknown: ui.errorText({ message: 'Some new failure', errors: [{ extensions: { code: 'TEAPOT' } }] }),
    gateway: ui.errorText({ message: 'HTTP 502', errors: [], status: 502 }),
    limited: ui.errorText({ message: 'Too many requests', errors: [], status: 429 }),
    closed: p.resultText({ __typename: 'NotAllowed', code: 'TASK_CLOSED', reason: 'task is closed' }),
  };
}"""


def test_codes_the_pages_do_not_know_fall_back_to_the_english_reason(page):
    tab = page.open("/search")
    got = tab.evaluate(_CHECK)
    assert got["newCode"] == "is odd in a new way"
    assert got["missingParam"] == "must be short"
    assert got["label"] == "Hồ sơ › Công bố khoa học (mục 3) › Tên, chức danh"
    assert got["many"] == "Phải từ 0 đến 10.000.000."
    assert got["role"] == "Chỉ dùng khi “Vai trò” là Tổng công trình sư."
    assert got["notFound"] == "Không tìm thấy bản ghi này, hoặc bạn không được xem nó."
    assert got["badInput"] == "Số lượng mỗi trang: Phải từ 0 đến 100."
    assert got["refused"] == "Chỉ người sở hữu bản ghi này (hoặc quản trị viên) được làm việc này."
    assert got["unknown"] == "Some new failure"
    assert got["gateway"] == "Máy chủ tạm thời không phản hồi. Thử lại sau ít phút."
    assert got["limited"] == "Bạn gửi quá nhiều yêu cầu. Chờ một lát rồi thử lại."
    assert got["closed"].startswith("Nhiệm vụ đã đóng")
