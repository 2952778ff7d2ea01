"""The demo registry: deterministic experts, programmes, tasks, accounts and decisions.

``seed_demo(db, experts=2000, seed=57)`` fills an empty registry with realistic content for
demos, tests and benchmarks:

* experts from ``seed.demo_profiles`` (the same seed gives the same people), written through
  the importer's batch path, so seeding exercises exactly what a bulk import does;
* one account per role (ADMIN, HR_AGENCY, PROGRAMME_LEAD, and EXPERT tied to the first demo
  expert), whose tokens appear once in the report and are stored only as digests;
* three national programmes and 34 tasks covering all 11 groups of Decision 1131, with skill
  requirements (weights, must-haves, minimum levels), roles sought (several chief-engineer
  tasks), languages, locations and dates;
* a few decisions on candidates of three tasks, so the learned ranker has examples.

Running it again adds nothing twice: experts keep their ids (from a stable external key) and
unchanged profiles are skipped; accounts, programmes and tasks are recognised by their names
and codes and left alone; tasks that have decisions get no more. Nothing depends on the
clock: "now" is ``REFERENCE_DATE`` (2026-11-01).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from registry import accounts, decisions, programmes
from registry.db import Database
from registry.importer import ImportResult, import_experts
from registry.profile import derive_expert_id
from seed.demo_catalogue import (
    DECIDED_TASKS,
    DECISION_KINDS,
    DEMO_ACCOUNTS,
    PROGRAMMES,
    TASK_CITIES,
    TASKS,
    TaskSpec,
)
from seed.demo_profiles import REFERENCE_DATE, TECH_LIST, external_key, generate_profiles

__all__ = ["DEMO_ACCOUNTS", "PROGRAMMES", "TASKS", "SeedReport", "seed_demo"]

log = logging.getLogger(__name__)

_PROGRAMME_BY_CODE = "MATCH (p:Programme {code: $code}) RETURN p.id AS id"
_TASK_BY_CODE = "MATCH (t:Task {code: $code}) RETURN t.id AS id, " \
                "EXISTS { (:Decision)-[:FOR]->(t) } AS decided"
_ANY_EXPERT = "MATCH (e:Expert) RETURN e.id AS id LIMIT 1"


@dataclass
class SeedReport:
    seed: int
    experts: int
    skipped: bool = False
    imported: ImportResult | None = None
    accounts_created: dict[str, str] = field(default_factory=dict)  # role -> token
    accounts_existing: list[str] = field(default_factory=list)
    programmes_created: int = 0
    tasks_created: int = 0
    decisions_created: int = 0
    seconds: float = 0.0
    expert_seconds: float = 0.0

    @property
    def experts_per_second(self) -> float:
        return self.experts / self.expert_seconds if self.expert_seconds else 0.0

    def __str__(self) -> str:
        if self.skipped:
            return "seed: the registry already has experts; nothing was added (--if-empty)"
        imp = self.imported
        lines = [
            f"seed {self.seed}: {self.experts} experts "
            f"({imp.created} created, {imp.updated} updated, {imp.unchanged} unchanged, "
            f"{len(imp.rejected)} rejected) in {self.expert_seconds:.1f} s "
            f"({self.experts_per_second:,.0f} experts/s)" if imp else f"seed {self.seed}",
            (f"programmes created: {self.programmes_created}, tasks created: "
            f"{self.tasks_created}, decisions recorded: {self.decisions_created}"),
        ]
        for role, token in self.accounts_created.items():
            lines.append(f"account {role}: token {token}  (shown once; store it now)")
        for role in self.accounts_existing:
            lines.append(f"account {role}: exists already (its token was shown when made)")
        lines.append(f"total {self.seconds:.1f} s")
        return "\n".join(lines)


def _expert_id(seed: int, index: int) -> str:
    ident = derive_expert_id({"externalKey": external_key(seed, index)})
    assert ident is not None
    return ident


def _accounts(db: Database, seed: int, experts: int, report: SeedReport) -> dict[str, str]:
    """One demo account per role (made once); returns role -> account id. The EXPERT account
    needs demo expert 0, so it waits for a seed with experts."""
    existing = {(a.role, a.name): a.id
                for a in accounts.list_accounts(db, include_revoked=True, first=1000)}
    ids: dict[str, str] = {}
    for role, name, org in DEMO_ACCOUNTS:
        if role == "EXPERT" and experts < 1:
            continue
        if (role, name) in existing:
            ids[role] = existing[(role, name)]
            report.accounts_existing.append(role)
            continue
        expert = _expert_id(seed, 0) if role == "EXPERT" else None
        account, token = accounts.create_account(db, name=name, role=role, expert_id=expert,
                                                 organization=org)
        ids[role] = account.id
        report.accounts_created[role] = token
    return ids


def _programmes(db: Database, lead: str, report: SeedReport) -> dict[str, str]:
    """The programmes (made once); returns group id -> programme id."""
    by_group: dict[str, str] = {}
    for code, title, description, groups in PROGRAMMES:
        found = db.query(_PROGRAMME_BY_CODE, code=code)
        if found:
            pid = found[0]["id"]
        else:
            pid = programmes.create_programme(db, created_by=lead, data={
                "code": code, "title": title, "description": description,
                "techListId": TECH_LIST, "areas": list(groups)}).id
            report.programmes_created += 1
        for g in groups:
            by_group[g] = pid
    return by_group


def _task_data(i: int, task: TaskSpec, programme_id: str) -> dict[str, Any]:
    code, group, title, summary, role, kind, min_years, reqs = task
    start = REFERENCE_DATE + timedelta(days=60 + 30 * (i % 9))
    onsite = ("ONSITE", "HYBRID", "REMOTE", "HYBRID")[i % 4]
    return {
        "code": code, "title": title,
        "description": f"{title}. {summary}",
        "objectives": f"Làm chủ công nghệ và đưa sản phẩm vào ứng dụng trước "
                      f"{date(start.year + 3, 12, 31).isoformat()}.",
        "products": [summary.split(":")[0].rstrip(".")],
        "roleSought": role, "chiefEngineerKind": kind, "minYears": min_years,
        "languages": ["vi", "en"] if i % 3 else ["vi"],
        "location": None if onsite == "REMOTE" else {"country": "VN",
                                                     "city": TASK_CITIES[i % len(TASK_CITIES)]},
        "onsite": onsite, "start": start.isoformat(),
        "durationMonths": (24, 36, 48, 60, 18)[i % 5],
        "budgetUsd": float((5 + (i * 7) % 40) * 250_000),
        "awardMode": "DIRECT_ASSIGNMENT" if role == "CHIEF_ENGINEER" and i % 2 else
                     "OPEN_SELECTION",
        # The last task of each group stays a draft, as a lead would keep one in preparation.
        "status": "DRAFT" if code.endswith("-03") and i % 2 else "OPEN",
        "techListId": TECH_LIST, "areas": [group], "programmeId": programme_id,
        "requirements": [{"skill": s, "weight": w, "mustHave": m, "minLevel": lvl}
                         for s, w, m, lvl in reqs],
    }


def _tasks(db: Database, lead: str, programme_of: dict[str, str], report: SeedReport
           ) -> dict[str, tuple[str, bool]]:
    """The tasks (made once); returns code -> (task id, has decisions)."""
    out: dict[str, tuple[str, bool]] = {}
    for i, task in enumerate(TASKS):
        found = db.query(_TASK_BY_CODE, code=task[0])
        if found:
            out[task[0]] = (found[0]["id"], found[0]["decided"])
            continue
        made = programmes.create_task(db, posted_by=lead,
                                      data=_task_data(i, task, programme_of[task[1]]))
        out[task[0]] = (made.id, False)
        report.tasks_created += 1
    return out


def _decisions(db: Database, lead: str, tasks: dict[str, tuple[str, bool]],
               skills: dict[str, dict[str, int]], report: SeedReport) -> None:
    """Decisions on the best-matching demo experts of a few tasks (never twice)."""
    by_code = {t[0]: t for t in TASKS}
    for code in DECIDED_TASKS:
        task_id, decided = tasks[code]
        if decided:
            continue
        reqs = by_code[code][7]

        def score(item: tuple[str, dict[str, int]], reqs: Any = reqs) -> tuple[float, str]:
            have = item[1]
            return (-sum(w * min(1.0, have.get(s, 0) / lvl) for s, w, _, lvl in reqs), item[0])

        ranked = sorted((kv for kv in skills.items()
                         if any(s in kv[1] for s, _, _, _ in reqs)), key=score)
        for (expert_id, _), (kind, reason) in zip(ranked, DECISION_KINDS):
            decisions.record_decision(db, task_id=task_id, expert_id=expert_id,
                                      actor_id=lead, kind=kind, reason=reason)
            report.decisions_created += 1


def seed_demo(
    db: Database,
    *,
    experts: int = 2000,
    seed: int = 57,
    if_empty: bool = False,
    progress: bool = True,
) -> SeedReport:
    """Fill the registry with deterministic demo data; see the module docstring."""
    started = time.perf_counter()
    report = SeedReport(seed=seed, experts=experts)
    if if_empty and db.query(_ANY_EXPERT):
        report.skipped = True
        return report
    skills: dict[str, dict[str, int]] = {}

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for i, doc in enumerate(generate_profiles(experts, seed=seed)):
            skills[_expert_id(seed, i)] = {s["skill"]: s["level"] for s in doc["skills"]}
            yield i + 1, doc

    t0 = time.perf_counter()
    report.imported = import_experts(db, rows(), progress=progress, total=experts,
                                     source=f"demo seed {seed}")
    report.expert_seconds = time.perf_counter() - t0
    if report.imported.rejected:
        log.warning("demo seed: %d generated profiles were rejected, first: %s",
                    len(report.imported.rejected), report.imported.rejected[0])
    lead = _accounts(db, seed, experts, report)["PROGRAMME_LEAD"]
    programme_of = _programmes(db, lead, report)
    tasks = _tasks(db, lead, programme_of, report)
    _decisions(db, lead, tasks, skills, report)
    report.seconds = time.perf_counter() - started
    return report
