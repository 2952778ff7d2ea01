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
from seed.demo_profiles import REFERENCE_DATE, TECH_LIST, external_key, generate_profiles

__all__ = ["SeedReport", "seed_demo", "DEMO_ACCOUNTS", "PROGRAMMES", "TASKS"]

log = logging.getLogger(__name__)

# (role, name, organization); the EXPERT account belongs to demo expert 0.
DEMO_ACCOUNTS = (
    ("ADMIN", "Quản trị hệ thống (demo)", "Trung tâm Đổi mới sáng tạo Quốc gia"),
    ("HR_AGENCY", "Công ty Nhân lực Công nghệ Sao Khuê (demo)", "Sao Khuê Talent"),
    ("PROGRAMME_LEAD", "Ban chủ nhiệm chương trình (demo)", "Bộ Khoa học và Công nghệ"),
    ("EXPERT", "Tài khoản chuyên gia (demo)", None),
)

# code, title, description, groups of the 1131 list
PROGRAMMES = (
    ("CTQG-CNS-2026", "Chương trình quốc gia về công nghệ số chiến lược",
     "AI, dữ liệu lớn, điện toán đám mây và lượng tử, blockchain và an ninh mạng: làm chủ "
     "công nghệ lõi và đưa sản phẩm công nghệ chiến lược vào ứng dụng (Nghị quyết 57-NQ/TW).",
     ("ai-digital-twin-xr", "cloud-quantum-big-data", "blockchain", "cybersecurity")),
    ("CTQG-PCN-2026", "Chương trình quốc gia về phần cứng, viễn thông và hàng không vũ trụ",
     "Chip bán dẫn, mạng di động 5G/6G, robot và tự động hóa, vệ tinh và UAV: thiết kế, chế "
     "tạo và tích hợp hệ thống Make in Vietnam.",
     ("semiconductor-chips", "next-gen-mobile-networks", "robotics-automation",
      "aerospace-uav")),
    ("CTQG-SVN-2026", "Chương trình quốc gia về công nghệ sinh học, vật liệu và năng lượng",
     "Công nghệ sinh học, vật liệu tiên tiến, năng lượng mới và lưu trữ năng lượng cho tăng "
     "trưởng xanh.",
     ("biotechnology", "advanced-materials", "new-energy-storage")),
)

# code, group, title, English summary, role, chief-engineer kind, min years,
# requirements as (skill, weight, must-have, min level)
_T = tuple[str, str, str, str, str, str | None, int, tuple[tuple[str, float, bool, int], ...]]
TASKS: tuple[_T, ...] = (
    ("NV-2026-AI-01", "ai-digital-twin-xr", "Mô hình ngôn ngữ lớn tiếng Việt",
     "Build and deploy a Vietnamese large language model (LLM) and its serving platform.",
     "CHIEF_ENGINEER", "SYSTEM", 10,
     (("large-language-models", 1.0, True, 4), ("vietnamese-nlp", 0.9, True, 3),
      ("deep-learning", 0.6, False, 3), ("mlops", 0.4, False, 2),
      ("high-performance-computing", 0.3, False, 2))),
    ("NV-2026-AI-02", "ai-digital-twin-xr", "Trợ lý ảo cho dịch vụ công",
     "Virtual assistant for public services: Vietnamese speech recognition, dialogue and "
     "question answering over legal documents.",
     "PRINCIPAL_INVESTIGATOR", None, 7,
     (("conversational-ai", 1.0, True, 3), ("speech-recognition", 0.7, False, 3),
      ("question-answering", 0.6, False, 2), ("vietnamese-nlp", 0.6, False, 2))),
    ("NV-2026-AI-03", "ai-digital-twin-xr", "Bản sao số cho nhà máy thông minh",
     "Digital twin of a smart factory: simulation, IoT data and predictive maintenance.",
     "CHIEF_ENGINEER", "PROJECT", 10,
     (("digital-twins", 1.0, True, 3), ("modelling-simulation", 0.6, False, 3),
      ("internet-of-things", 0.5, False, 2), ("smart-manufacturing", 0.5, False, 2))),
    ("NV-2026-AI-04", "ai-digital-twin-xr", "Camera AI biên cho giao thông đô thị",
     "Edge-AI cameras for urban traffic: object detection and video analytics on the device.",
     "MEMBER", None, 3,
     (("edge-ai", 1.0, True, 3), ("object-detection", 0.8, False, 3),
      ("video-analytics", 0.6, False, 2), ("ai-accelerators", 0.3, False, 1))),
    ("NV-2026-DL-01", "cloud-quantum-big-data", "Nền tảng dữ liệu lớn quốc gia",
     "National big-data platform: data engineering, streaming and data governance at scale.",
     "CHIEF_ENGINEER", "SYSTEM", 10,
     (("big-data", 1.0, True, 4), ("data-engineering", 0.8, False, 3),
      ("stream-processing", 0.5, False, 2), ("data-governance", 0.5, False, 2),
      ("cloud-native", 0.4, False, 2))),
    ("NV-2026-DL-02", "cloud-quantum-big-data", "Thuật toán lượng tử cho tối ưu hóa logistics",
     "Quantum algorithms for logistics optimisation on near-term quantum computers.",
     "PRINCIPAL_INVESTIGATOR", None, 5,
     (("quantum-algorithms", 1.0, True, 3), ("quantum-computing", 0.7, False, 3),
      ("optimization", 0.6, False, 2))),
    ("NV-2026-DL-03", "cloud-quantum-big-data", "Đám mây chính phủ thế hệ mới",
     "Next-generation government cloud: cloud-native architecture, DevOps and cloud security.",
     "CHIEF_ENGINEER", "ARCHITECT", 7,
     (("cloud-computing", 1.0, True, 4), ("cloud-native", 0.8, False, 3),
      ("cloud-security", 0.6, False, 2), ("devops", 0.5, False, 2),
      ("distributed-systems", 0.5, False, 2))),
    ("NV-2026-BC-01", "blockchain", "Hạ tầng blockchain quốc gia truy xuất nguồn gốc",
     "National blockchain infrastructure with product traceability along supply chains.",
     "CHIEF_ENGINEER", "SYSTEM", 10,
     (("blockchain-infrastructure", 1.0, True, 4), ("supply-chain-traceability", 0.8, True, 3),
      ("consensus-protocols", 0.6, False, 3), ("smart-contracts", 0.5, False, 2))),
    ("NV-2026-BC-02", "blockchain", "Định danh phi tập trung cho công dân số",
     "Decentralised identity for digital citizens with zero-knowledge proofs.",
     "PRINCIPAL_INVESTIGATOR", None, 5,
     (("decentralized-identity", 1.0, True, 3), ("zero-knowledge-proofs", 0.7, False, 3),
      ("identity-access-management", 0.6, False, 2), ("cryptography", 0.5, False, 2))),
    ("NV-2026-BC-03", "blockchain", "Kiểm chứng hình thức hợp đồng thông minh",
     "Formal verification of smart contracts before deployment.",
     "MEMBER", None, 3,
     (("smart-contracts", 1.0, True, 3), ("formal-methods", 0.8, False, 3),
      ("software-security", 0.6, False, 2))),
    ("NV-2026-MN-01", "next-gen-mobile-networks", "Hệ thống 5G Make in Vietnam",
     "End-to-end 5G system: core network, Open RAN radio units and massive MIMO.",
     "CHIEF_ENGINEER", "SYSTEM", 12,
     (("mobile-networks-5g", 1.0, True, 4), ("mobile-core-network", 0.8, False, 3),
      ("open-ran", 0.7, False, 3), ("mimo-beamforming", 0.5, False, 3),
      ("antennas-rf", 0.4, False, 2))),
    ("NV-2026-MN-02", "next-gen-mobile-networks", "Nghiên cứu tiền chuẩn hóa 6G",
     "Pre-standard 6G research: terahertz wireless links, channel coding and standardisation.",
     "PRINCIPAL_INVESTIGATOR", None, 7,
     (("mobile-networks-6g", 1.0, True, 3), ("wireless-communications", 0.8, False, 3),
      ("channel-coding", 0.5, False, 2), ("standardisation", 0.5, False, 2))),
    ("NV-2026-MN-03", "next-gen-mobile-networks", "Open RAN cho mạng 5G riêng công nghiệp",
     "Open RAN and software-defined networking for private industrial 5G.",
     "MEMBER", None, 3,
     (("open-ran", 1.0, True, 3), ("software-defined-networking", 0.7, False, 2),
      ("internet-of-things", 0.5, False, 2))),
    ("NV-2026-RB-01", "robotics-automation", "Robot di động tự hành cho kho vận",
     "Autonomous mobile robots (AMR) for warehouses: perception, motion planning, ROS.",
     "CHIEF_ENGINEER", "PROJECT", 10,
     (("autonomous-mobile-robots", 1.0, True, 4), ("motion-planning", 0.8, False, 3),
      ("robot-perception", 0.7, False, 3), ("robot-operating-system", 0.6, False, 2),
      ("sensor-fusion", 0.5, False, 2))),
    ("NV-2026-RB-02", "robotics-automation", "Dây chuyền sản xuất thông minh",
     "Smart manufacturing line with industrial robots and cyber-physical systems.",
     "PRINCIPAL_INVESTIGATOR", None, 7,
     (("industrial-automation", 1.0, True, 3), ("smart-manufacturing", 0.8, False, 3),
      ("industrial-robotics", 0.7, False, 3), ("cyber-physical-systems", 0.5, False, 2))),
    ("NV-2026-RB-03", "robotics-automation", "Robot nông nghiệp cho Đồng bằng sông Cửu Long",
     "Agricultural robots for the Mekong Delta: perception in the field and robust control.",
     "ADVISOR", None, 10,
     (("robot-perception", 1.0, True, 3), ("robotics", 0.8, False, 3),
      ("control-engineering", 0.5, False, 2))),
    ("NV-2026-CB-01", "semiconductor-chips", "Thiết kế chip SoC cho camera AI biên",
     "System-on-chip for edge-AI cameras: digital design, AI accelerator, verification, "
     "physical design.",
     "CHIEF_ENGINEER", "SYSTEM", 12,
     (("soc-design", 1.0, True, 4), ("digital-ic-design", 0.8, True, 3),
      ("ai-accelerators", 0.7, False, 3), ("design-verification", 0.6, False, 3),
      ("physical-design", 0.5, False, 2))),
    ("NV-2026-CB-02", "semiconductor-chips", "Vi mạch RF cho trạm gốc 5G",
     "RF integrated circuits for 5G base stations.",
     "CHIEF_ENGINEER", "ARCHITECT", 7,
     (("rf-ic-design", 1.0, True, 4), ("analog-mixed-signal-design", 0.7, False, 3),
      ("antennas-rf", 0.5, False, 2), ("mobile-networks-5g", 0.3, False, 1))),
    ("NV-2026-CB-03", "semiconductor-chips", "Đóng gói tiên tiến và kiểm thử bán dẫn",
     "Advanced semiconductor packaging, design for test and reliability.",
     "PRINCIPAL_INVESTIGATOR", None, 5,
     (("semiconductor-packaging", 1.0, True, 3), ("design-for-test", 0.7, False, 3),
      ("reliability-engineering", 0.4, False, 2))),
    ("NV-2026-AN-01", "cybersecurity", "Trung tâm giám sát an ninh mạng quốc gia",
     "National security operations centre: threat intelligence, network security, malware "
     "analysis.",
     "CHIEF_ENGINEER", "SYSTEM", 10,
     (("security-operations", 1.0, True, 4), ("threat-intelligence", 0.8, False, 3),
      ("network-security", 0.7, False, 3), ("malware-analysis", 0.5, False, 2),
      ("ai-security", 0.4, False, 2))),
    ("NV-2026-AN-02", "cybersecurity", "Mật mã hậu lượng tử cho hạ tầng trọng yếu",
     "Post-quantum cryptography for critical infrastructure.",
     "PRINCIPAL_INVESTIGATOR", None, 7,
     (("post-quantum-cryptography", 1.0, True, 3), ("cryptography", 0.8, False, 3),
      ("hardware-security", 0.4, False, 2))),
    ("NV-2026-AN-03", "cybersecurity", "An ninh hệ thống điều khiển công nghiệp",
     "Security of industrial control systems: testing and forensics.",
     "MEMBER", None, 3,
     (("ics-security", 1.0, True, 3), ("penetration-testing", 0.6, False, 2),
      ("digital-forensics", 0.4, False, 2))),
    ("NV-2026-SH-01", "biotechnology", "Vắc-xin thế hệ mới cho bệnh nhiệt đới",
     "Next-generation vaccines for tropical infectious diseases, from antigen to pilot "
     "production.",
     "CHIEF_ENGINEER", "PROJECT", 10,
     (("vaccine-development", 1.0, True, 4), ("immunology", 0.8, False, 3),
      ("bioprocess-engineering", 0.6, False, 3), ("molecular-biology", 0.5, False, 2))),
    ("NV-2026-SH-02", "biotechnology", "Giải mã hệ gen người Việt cho y học chính xác",
     "Vietnamese genome reference for precision medicine: sequencing and bioinformatics.",
     "PRINCIPAL_INVESTIGATOR", None, 7,
     (("genomics", 1.0, True, 3), ("bioinformatics", 0.8, True, 3),
      ("precision-medicine", 0.7, False, 2), ("big-data", 0.3, False, 1))),
    ("NV-2026-SH-03", "biotechnology", "Chẩn đoán phân tử bệnh thủy sản",
     "Molecular diagnostics of shrimp and fish diseases for aquaculture.",
     "MEMBER", None, 3,
     (("molecular-diagnostics", 1.0, True, 3), ("aquaculture-biotechnology", 0.8, False, 2),
      ("genetic-engineering", 0.4, False, 2))),
    ("NV-2026-VL-01", "advanced-materials", "Vật liệu đất hiếm cho nam châm vĩnh cửu",
     "Rare-earth materials for permanent magnets: processing, metallurgy, characterisation.",
     "CHIEF_ENGINEER", "PROJECT", 10,
     (("rare-earth-materials", 1.0, True, 3), ("metallurgy", 0.7, False, 3),
      ("materials-characterization", 0.6, False, 2), ("functional-materials", 0.4, False, 2))),
    ("NV-2026-VL-02", "advanced-materials", "Màng mỏng perovskite cho pin mặt trời",
     "Perovskite thin films for high-efficiency solar cells.",
     "PRINCIPAL_INVESTIGATOR", None, 5,
     (("thin-films", 1.0, True, 3), ("solar-photovoltaics", 0.7, False, 2),
      ("nanomaterials", 0.6, False, 2))),
    ("NV-2026-VL-03", "advanced-materials", "Vật liệu composite cho khung UAV",
     "Lightweight composite airframes for UAVs, including additive manufacturing.",
     "MEMBER", None, 3,
     (("composite-materials", 1.0, True, 3), ("aerospace-structures", 0.6, False, 2),
      ("additive-manufacturing", 0.5, False, 2))),
    ("NV-2026-NL-01", "new-energy-storage", "Hệ thống lưu trữ năng lượng quy mô lưới",
     "Grid-scale battery energy storage with power electronics and smart-grid control.",
     "CHIEF_ENGINEER", "SYSTEM", 10,
     (("energy-storage", 1.0, True, 4), ("battery-technology", 0.8, True, 3),
      ("power-electronics", 0.6, False, 3), ("smart-grids", 0.6, False, 2))),
    ("NV-2026-NL-02", "new-energy-storage", "Hydro xanh từ điện gió ngoài khơi",
     "Green hydrogen production from offshore wind by electrolysis.",
     "PRINCIPAL_INVESTIGATOR", None, 7,
     (("hydrogen-energy", 1.0, True, 3), ("wind-energy", 0.7, False, 2),
      ("electrochemistry", 0.6, False, 3))),
    ("NV-2026-NL-03", "new-energy-storage", "Pin và trạm đổi pin cho xe máy điện",
     "Batteries and battery-swap stations for electric motorbikes.",
     "MEMBER", None, 3,
     (("battery-technology", 1.0, True, 3), ("electric-vehicles", 0.8, False, 2),
      ("power-electronics", 0.5, False, 2))),
    ("NV-2026-HK-01", "aerospace-uav", "Vệ tinh quan sát Trái Đất cỡ nhỏ",
     "Small Earth-observation satellite: platform, payload, ground segment and remote sensing.",
     "CHIEF_ENGINEER", "SYSTEM", 12,
     (("satellite-engineering", 1.0, True, 4), ("remote-sensing", 0.7, False, 3),
      ("satellite-ground-segment", 0.6, False, 2), ("systems-engineering", 0.5, False, 3))),
    ("NV-2026-HK-02", "aerospace-uav", "Bầy UAV giám sát thiên tai",
     "UAV swarms for disaster monitoring: swarm coordination and flight control.",
     "CHIEF_ENGINEER", "PROJECT", 10,
     (("drone-swarms", 1.0, True, 3), ("uav-systems", 0.8, True, 3),
      ("flight-control", 0.6, False, 3), ("multi-agent-systems", 0.5, False, 2))),
    ("NV-2026-HK-03", "aerospace-uav", "Định vị GNSS độ chính xác cao",
     "High-precision GNSS positioning for surveying and autonomous vehicles.",
     "PRINCIPAL_INVESTIGATOR", None, 5,
     (("gnss-navigation", 1.0, True, 3), ("signal-processing", 0.6, False, 3),
      ("geospatial-information", 0.5, False, 2))),
)
_CITIES = ("Hanoi", "Ho Chi Minh City", "Da Nang", "Hanoi", "Hai Phong", "Can Tho")
# Decisions recorded on the candidates of these tasks, best matches first.
_DECIDED_TASKS = ("NV-2026-AI-01", "NV-2026-MN-01", "NV-2026-CB-01")
_DECISION_KINDS = (("SELECTED", "Đáp ứng đầy đủ yêu cầu, đã phỏng vấn."),
                   ("INTERVIEWED", "Hồ sơ phù hợp, đã phỏng vấn vòng 1."),
                   ("CONTACTED", "Đã liên hệ qua email."),
                   ("SHORTLISTED", None),
                   ("REJECTED", "Chưa đủ kinh nghiệm dẫn dắt nhiệm vụ liên ngành."))

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
            f"programmes created: {self.programmes_created}, tasks created: "
            f"{self.tasks_created}, decisions recorded: {self.decisions_created}",
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


def _task_data(i: int, task: _T, programme_id: str) -> dict[str, Any]:
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
                                                     "city": _CITIES[i % len(_CITIES)]},
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
    for code in _DECIDED_TASKS:
        task_id, decided = tasks[code]
        if decided:
            continue
        reqs = by_code[code][7]

        def score(item: tuple[str, dict[str, int]]) -> tuple[float, str]:
            have = item[1]
            return (-sum(w * min(1.0, have.get(s, 0) / lvl) for s, w, _, lvl in reqs), item[0])

        ranked = sorted((kv for kv in skills.items()
                         if any(s in kv[1] for s, _, _, _ in reqs)), key=score)
        for (expert_id, _), (kind, reason) in zip(ranked, _DECISION_KINDS):
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
