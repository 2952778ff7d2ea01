"""Import (HR agencies): upload a CSV or JSON Lines file, see every row's result, download the
rejected rows."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from registry.search import ExpertFilter, Viewer, search_experts
from tests.web.support import add_accounts, assert_accessible

CSV = (
    "fullName,email,residenceCountry,languages,skills,organization,title,since\n"
    "Nguyễn Văn An,an@example.org,JP,vi;ja;en,machine-learning:4:6;robotics:3,"
    "Toyota Research,Researcher,2019\n"
    "Trần Thị Bích,,VN,vi,deep-learning:3,,,\n"
    "Lê Quang Cường,cuong@example.org,KR,vi;ko,not-a-skill:9,,,\n"
    "Phạm Minh Dũng,dung@example.org,US,vi;en,computer-vision:5:8,,,\n"
)


def test_an_agency_imports_a_csv_and_downloads_the_rejected_rows(db, page, tmp_path):
    accounts = add_accounts(db)
    upload = tmp_path / "chuyen-gia.csv"
    upload.write_text(CSV, encoding="utf-8")
    tab = page.open("/import", token=accounts.hr)
    expect(tab.locator("h1")).to_have_text("Nhập hồ sơ chuyên gia")
    assert_accessible(page)
    tab.get_by_role("button", name="Nhập dữ liệu").click()
    expect(tab.locator(".field-error")).to_have_text("Hãy chọn một tệp.")

    tab.get_by_label("Tệp dữ liệu").set_input_files(str(upload))
    tab.get_by_role("button", name="Nhập dữ liệu").click()
    report = tab.get_by_role("region", name="Kết quả nhập chuyen-gia.csv")
    expect(report).to_be_visible()
    expect(report.get_by_role("list", name="Tóm tắt")).to_contain_text("Tạo mới: 2")
    expect(report.get_by_role("list", name="Tóm tắt")).to_contain_text("Bị từ chối: 2")
    rows = report.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Tạo mới")
    expect(rows.nth(1)).to_contain_text("Bị từ chối")
    expect(rows.nth(2)).to_contain_text("Bị từ chối")
    expect(rows.nth(2)).to_contain_text("Kỹ năng (mục 1) › Kỹ năng: Không có kỹ năng")
    expect(rows.nth(3)).to_contain_text("Tạo mới")
    page.shoot("import", phone=True)

    with tab.expect_download() as download_info:
        report.get_by_role("button", name="Tải 2 dòng bị từ chối").click()
    download = download_info.value
    assert download.suggested_filename == "chuyen-gia-rejected.csv"
    lines = open(download.path(), encoding="utf-8").read().splitlines()
    assert lines == [CSV.splitlines()[0], CSV.splitlines()[2], CSV.splitlines()[3]]

    # The imported profiles are in the registry, found by a search without diacritics.
    page.go("/search?text=nguyen+van+an")
    expect(tab.locator(".result-name a")).to_have_text(["Nguyễn Văn An"])
    found = search_experts(
        db, filter=ExpertFilter(text="pham minh dung"), first=5, viewer=Viewer(signed_in=True)
    )
    assert found.total_count == 1


def test_json_lines_are_reported_row_by_row(db, page, tmp_path):
    accounts = add_accounts(db)
    good = {
        "fullName": "Hoàng Thị Em",
        "email": "em@example.org",
        "residenceCountry": "FR",
        "skills": [{"skill": "robotics", "level": 4}],
    }
    upload = tmp_path / "agency.jsonl"
    upload.write_text(
        "\n".join([json.dumps(good, ensure_ascii=False), "{not json"]) + "\n", encoding="utf-8"
    )
    tab = page.open("/import", token=accounts.hr)
    tab.get_by_label("Tệp dữ liệu").set_input_files(str(upload))
    tab.get_by_role("button", name="Nhập dữ liệu").click()
    rows = tab.locator(".import-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Tạo mới")
    expect(rows.nth(1)).to_contain_text("Bị từ chối")
    with tab.expect_download() as download_info:
        tab.get_by_role("button", name="Tải 1 dòng bị từ chối").click()
    assert open(download_info.value.path(), encoding="utf-8").read() == "{not json\n"
    # Importing the same file again changes nothing.
    tab.get_by_role("button", name="Nhập dữ liệu").click()
    expect(tab.get_by_role("list", name="Tóm tắt")).to_contain_text("Không đổi: 1")
