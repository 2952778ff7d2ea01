"""Helpers of the web tests: a page wrapper (open a route, wait for it, take screenshots) and
builders of test data, all written through the registry layer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registry.accounts import create_account
from registry.db import Database
from registry.experts import create_expert
from tests.factories import profile

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


class WebPage:
    """A Playwright page on the app at ``base``; ``.tab`` is the Playwright page itself."""

    def __init__(self, tab: Any, base: str):
        self.tab = tab
        self.base = base

    def open(self, route: str = "/search", *, token: str | None = None) -> Any:
        """Open ``#<route>``; with ``token``, as the account it belongs to (the token is put
        where the sign-in page puts it: this tab's sessionStorage)."""
        if token is not None:
            self.tab.goto(f"{self.base}/#/signin")
            self.tab.evaluate("t => sessionStorage.setItem('chuyengia.token', t)", token)
            self.tab.goto(f"{self.base}/#{route}")
            self.tab.reload()
        else:
            self.tab.goto(f"{self.base}/#{route}")
        self.settle()
        return self.tab

    def go(self, route: str) -> Any:
        """Navigate inside the app (hash change, no reload)."""
        self.tab.evaluate("r => { location.hash = r; }", route)
        self.settle()
        return self.tab

    def settle(self) -> None:
        """Wait until the shell has started and the routed page is in place."""
        self.tab.wait_for_selector("body[data-ready='true']")
        self.tab.wait_for_function("!document.querySelector('main').hasAttribute('aria-busy')")
        self.tab.wait_for_function("!document.querySelector('main [aria-busy=\"true\"]')")
        self.tab.wait_for_selector("main h1")

    def shoot(self, name: str, *, phone: bool = False, full_page: bool = True) -> Path:
        """Save a screenshot to docs/screenshots/<name>.png; with ``phone``, also a phone-width
        one (<name>-phone.png)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.tab.screenshot(path=str(path), full_page=full_page, animations="disabled")
        if phone:
            self.tab.set_viewport_size(PHONE)
            self.tab.wait_for_timeout(150)
            self.tab.screenshot(
                path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=False, animations="disabled"
            )
            self.tab.set_viewport_size(DESKTOP)
            self.tab.wait_for_timeout(100)
        return path


# --- data ----------------------------------------------------------------------------------


def expert_doc(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid profile with a unique e-mail (hence id); otherwise tests.factories.profile."""
    return profile(email=f"web{n}@example.org", orcid=None, **overrides)


def add_experts(db: Database, docs: list[dict[str, Any]]) -> list[str]:
    return [create_expert(db, d)["id"] for d in docs]


def add_background(db: Database, n: int = 30, *, seed: int = 57) -> list[str]:
    """``n`` varied generated profiles (the demo generator), written one by one."""
    from seed.demo_profiles import generate_profiles

    return [create_expert(db, doc)["id"] for doc in generate_profiles(n, seed=seed)]


@dataclass
class Accounts:
    admin: str
    hr: str
    lead: str
    lead_id: str
    hr_id: str


def add_accounts(db: Database) -> Accounts:
    _, admin = create_account(db, name="Quản trị viên", role="ADMIN")
    hr, hr_token = create_account(db, name="Công ty Nhân sự Sao Việt", role="HR_AGENCY")
    lead, lead_token = create_account(db, name="Chủ nhiệm Trần Văn Bình", role="PROGRAMME_LEAD")
    return Accounts(admin=admin, hr=hr_token, lead=lead_token, lead_id=lead.id, hr_id=hr.id)


def expert_account(db: Database, expert_id: str, name: str = "Chuyên gia") -> str:
    _, token = create_account(db, name=name, role="EXPERT", expert_id=expert_id)
    return token


# --- checks every page gets --------------------------------------------------------------

_A11Y = """() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const controls = 'main input, main select, main textarea, header input, header select';
  for (const el of document.querySelectorAll(controls)) {
    if (el.type === 'hidden' || !visible(el)) continue;
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) problems.push('unlabelled ' + el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('main button, main a, header button, header a')) {
    if (!visible(el)) continue;
    const name = (el.getAttribute('aria-label') || el.textContent || '').trim();
    if (!name) problems.push('nameless ' + el.outerHTML.slice(0, 120));
  }
  const h1 = document.querySelectorAll('main h1');
  if (h1.length !== 1) problems.push('h1 count ' + h1.length);
  let last = 1;
  for (const hd of document.querySelectorAll('main h1, main h2, main h3, main h4')) {
    const level = Number(hd.tagName[1]);
    if (level > last + 1) {
      problems.push('heading jumps to ' + hd.tagName + ': ' + hd.textContent.slice(0, 60));
    }
    last = level;
  }
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) { ids[el.id] = (ids[el.id] || 0) + 1; }
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push('duplicate id ' + id);
  if (!document.documentElement.lang) problems.push('no lang');
  return problems;
}"""


def assert_accessible(page: WebPage) -> None:
    """Labelled controls, named buttons and links, one h1, no skipped heading level, unique
    ids, a page language."""
    problems = page.tab.evaluate(_A11Y)
    assert not problems, problems
