"""Deterministic demo profiles: realistic expert documents built from the reference data.

``generate_profiles(n, seed=57)`` yields ``n`` raw profile documents (the shape that
``registry.profile.validate_profile`` takes) in a fixed order. The same ``(n, seed)`` gives the
same documents byte for byte on any machine: every draw comes from a ``random.Random`` seeded
from the seed and the expert's block, nothing reads the clock ("now" is ``REFERENCE_DATE``), and
no set is iterated (string hashing is randomised per process).

Experts are made in blocks of ``BLOCK`` so that memory stays flat for 100,000 experts and the
first blocks do not change when more experts are asked for. Inside a block, experts of the same
strategic-technology group who share skills write papers together and join each other's
projects, which gives the graph real co-authorship clusters. Text (headlines, paper titles and
abstracts) is composed from the English and Vietnamese names and aliases of each expert's
skills, so full-text search and the matcher have real signal to find.

Gender and birth year are set because they are legitimate profile fields (the under-35 young
scientist rule needs the age); the matcher never uses them.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from seed import demo_vocabulary as V
from seed.reference import (
    Organization,
    load_names,
    load_organizations,
    load_skills,
    load_tech_lists,
)

__all__ = ["BLOCK", "REFERENCE_DATE", "TECH_LIST", "external_key", "generate_profiles"]

REFERENCE_DATE = date(2026, 11, 1)
NOW = REFERENCE_DATE.year
BLOCK = 500
TECH_LIST = "qd-1131-2025"

# ---------------------------------------------------------------------------------------------
# Reference data, prepared once
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ref:
    groups: tuple[str, ...]
    group_weights: tuple[float, ...]
    skills_by_group: dict[str, tuple[str, ...]]
    skill_en: dict[str, str]
    skill_vi: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    related: dict[str, tuple[str, ...]]
    skill_groups: dict[str, tuple[str, ...]]
    orgs_by_country: dict[str, tuple[Organization, ...]]
    top_universities: dict[str, tuple[Organization, ...]]
    vn_universities: tuple[Organization, ...]


@lru_cache(maxsize=1)
def _ref() -> _Ref:
    taxonomy = load_skills()
    groups = tuple(g.id for g in load_tech_lists().get(TECH_LIST).groups)
    by_group = {g: tuple(s.id for s in taxonomy.in_area(g)) for g in groups}
    related: dict[str, tuple[str, ...]] = {}
    for s in taxonomy:
        near = list(s.broader) + list(taxonomy.children(s.id))
        for parent in s.broader:
            near.extend(c for c in taxonomy.children(parent) if c != s.id)
        related[s.id] = tuple(dict.fromkeys(near))
    orgs: dict[str, list[Organization]] = {}
    for o in load_organizations():
        orgs.setdefault(o.country, []).append(o)
    tops = {c: tuple(o for o in lst if o.top200) for c, lst in orgs.items()}
    return _Ref(
        groups=groups,
        # Bigger groups (more skills) hold more experts; AI and chips a little more still.
        group_weights=tuple(len(by_group[g]) * (1.4 if g in ("ai-digital-twin-xr",
                                                             "semiconductor-chips") else 1.0)
                            for g in groups),
        skills_by_group=by_group,
        skill_en={s.id: s.name_en for s in taxonomy},
        skill_vi={s.id: s.name_vi for s in taxonomy},
        aliases={s.id: s.aliases_en for s in taxonomy},
        related=related,
        skill_groups={s.id: tuple(a for a in s.areas if a in by_group) for s in taxonomy},
        orgs_by_country={c: tuple(v) for c, v in orgs.items()},
        top_universities=tops,
        vn_universities=tuple(o for o in orgs["VN"] if o.kind == "UNIVERSITY"),
    )


class _Picker:
    """Weighted choice with precomputed cumulative weights (random.choices recomputes them)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


@lru_cache(maxsize=1)
def _pickers() -> dict[str, Any]:
    names = load_names()
    ref = _ref()
    return {
        "family": _Picker(names.family_names, [f.share for f in names.family_names]),
        "host": _Picker(names.host_countries, [h.weight for h in names.host_countries]),
        "city": _Picker(names.domestic_cities, [c.weight for c in names.domestic_cities]),
        "group": _Picker(ref.groups, ref.group_weights),
        "hosts": {h.country: h for h in names.host_countries},
        "middle": {u: [m for m in names.middle_names if m.usage in (u, "U")] for u in "MF"},
        "given": {u: [g for g in names.given_names if g.usage in (u, "U")] for u in "MF"},
    }


def external_key(seed: int, index: int) -> str:
    """The stable key of demo expert ``index``: its id derives from it, so re-seeding matches."""
    return f"demo-{seed}-{index:06d}"


# ---------------------------------------------------------------------------------------------
# One expert's sketch: who they are, before the shared works of their block are dealt out
# ---------------------------------------------------------------------------------------------


@dataclass
class _Sketch:
    index: int
    rng: random.Random
    diaspora: str
    country: str            # residence
    host: str | None        # the foreign country of an overseas expert or a returnee
    gender: str
    family: Any
    full_name: str
    ascii_name: str
    birth_year: int
    bachelor_year: int
    phd_year: int | None
    academic: bool
    groups: list[str]
    skills: list[str]
    levels: dict[str, int]
    years_exp: int
    papers: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)


def _name(rng: random.Random, gender: str) -> tuple[str, str, Any]:
    p = _pickers()
    family = p["family"](rng)
    parts, ascii_parts = [family.name], [family.ascii]
    middles = p["middle"][gender]
    roll = rng.random()
    count = 0 if roll < 0.06 else 2 if roll > 0.88 else 1
    if gender == "F" and count and rng.random() < 0.45:
        thi = next(m for m in middles if m.name == "Thị")
        chosen = [thi] + ([rng.choice(middles)] if count == 2 else [])
    else:
        chosen = [rng.choice(middles) for _ in range(count)]
    for m in chosen:
        if m.name not in parts:
            parts.append(m.name)
            ascii_parts.append(m.ascii)
    given = rng.choice(p["given"][gender])
    if given.name in parts:
        given = rng.choice(p["given"][gender])
    parts.append(given.name)
    ascii_parts.append(given.ascii)
    return " ".join(parts), " ".join(ascii_parts), family


def _pick_skills(rng: random.Random, groups: list[str], years_exp: int) -> tuple[list[str],
                                                                              dict[str, int]]:
    ref = _ref()
    want = rng.randint(3, 10)
    primary = ref.skills_by_group[groups[0]]
    focus = rng.choice(primary)
    chosen: list[str] = [focus]
    near = [s for s in ref.related[focus] if any(g in groups for g in ref.skill_groups[s])]
    rng.shuffle(near)
    chosen.extend(near[: max(1, want // 2)])
    pool = [s for g in groups for s in ref.skills_by_group[g]]
    guard = 0
    while len(chosen) < want and guard < 50:
        guard += 1
        cand = rng.choice(primary) if rng.random() < 0.6 else rng.choice(pool)
        if cand not in chosen:
            chosen.append(cand)
    chosen = list(dict.fromkeys(chosen))[:want]
    base = 1 + min(3, years_exp // 6)
    levels = {}
    for i, s in enumerate(chosen):
        bonus = 1 if i == 0 else 0
        levels[s] = max(1, min(5, base + bonus + rng.choice((-1, 0, 0, 0, 1))))
    return chosen, levels


def _sketch(seed: int, index: int) -> _Sketch:
    rng = random.Random(f"chuyengia-demo:{seed}:{index}")
    p = _pickers()
    roll = rng.random()
    diaspora = "DOMESTIC" if roll < 0.55 else "OVERSEAS" if roll < 0.90 else "RETURNEE"
    host = None if diaspora == "DOMESTIC" else p["host"](rng).country
    country = host if diaspora == "OVERSEAS" else "VN"
    gender = "F" if rng.random() < 0.32 else "M"
    full_name, ascii_name, family = _name(rng, gender)
    age = max(25, min(68, int(rng.gauss(41, 9.5))))
    birth_year = NOW - age
    bachelor_year = birth_year + 22 + rng.choice((0, 0, 1))
    academic = rng.random() < (0.62 if diaspora != "DOMESTIC" else 0.5)
    phd_chance = 0.85 if academic else 0.22
    phd_year = None
    if rng.random() < phd_chance and NOW - bachelor_year >= 5:
        phd_year = min(NOW - 1, bachelor_year + rng.randint(4, 7))
    years_exp = max(0, NOW - bachelor_year - rng.choice((0, 0, 1, 2)))
    groups = [p["group"](rng)]
    extra = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
    while len(groups) < 1 + extra:
        g = p["group"](rng)
        if g not in groups:
            groups.append(g)
    skills, levels = _pick_skills(rng, groups, years_exp)
    return _Sketch(index, rng, diaspora, country, host, gender, family, full_name, ascii_name,
                   birth_year, bachelor_year, phd_year, academic, groups, skills, levels,
                   years_exp)


# ---------------------------------------------------------------------------------------------
# Works shared inside a block: papers with co-authors, projects with members
# ---------------------------------------------------------------------------------------------


def _alias(rng: random.Random, skill: str) -> str:
    ref = _ref()
    names = (ref.skill_en[skill],) + ref.aliases[skill]
    return rng.choice(names)


def _paper_text(rng: random.Random, skills: list[str], group: str) -> tuple[str, str, str]:
    ref = _ref()
    a = skills[0]
    b = skills[1] if len(skills) > 1 else rng.choice(ref.related[a] or (a,))
    topic = rng.choice(V.TOPICS[group])
    adj = rng.choice(V.ADJECTIVES)
    words = {"a": _alias(rng, a), "b": ref.skill_en[b].lower(), "topic": topic, "adj": adj,
             "adj_cap": adj.capitalize()}
    title = rng.choice(V.TITLE_TEMPLATES).format(**words)
    title = title[0].upper() + title[1:]
    abstract = " ".join((
        rng.choice(V.ABSTRACT_OPEN).format(topic=topic, topic_cap=topic[0].upper() + topic[1:]),
        rng.choice(V.ABSTRACT_METHOD).format(adj=adj, a=ref.skill_en[a].lower(),
                                           alias_a=_alias(rng, a), b=ref.skill_en[b].lower()),
        rng.choice(V.ABSTRACT_RESULT).format(n=rng.randint(2, 6), gain=rng.randint(3, 35),
                                            city=rng.choice(("Hanoi", "Ho Chi Minh City",
                                                             "Da Nang", "Can Tho"))),
    ))
    return title, abstract, rng.choice(V.VENUES[group])


def _paper_count(s: _Sketch) -> int:
    span = max(0, NOW - s.bachelor_year - 1)
    # Papers listed in the registry (selected works), not a whole publication record.
    rate = s.rng.uniform(0.25, 0.9) if s.academic else s.rng.uniform(0.0, 0.35)
    return min(40, int(span * rate * (1.2 if s.phd_year else 0.6)))


def _deal_works(seed: int, block: int, sketches: list[_Sketch]) -> None:
    """Write every expert's papers and projects; some are shared with block-mates who work in
    the same group and share a skill, so co-authors and project members are plausible."""
    rng = random.Random(f"chuyengia-demo-works:{seed}:{block}")
    by_skill: dict[tuple[str, str], list[_Sketch]] = {}
    for s in sketches:
        for skill in s.skills:
            by_skill.setdefault((s.groups[0], skill), []).append(s)
    serial = itertools.count()
    for s in sketches:
        mates: dict[int, _Sketch] = {}
        for skill in s.skills:
            for m in by_skill.get((s.groups[0], skill), ()):
                if m.index != s.index:
                    mates[m.index] = m
        mate_list = [mates[i] for i in sorted(mates)]
        first_year = s.bachelor_year + 1
        for _ in range(_paper_count(s)):
            authors = [s]
            if mate_list and rng.random() < 0.30:
                authors += rng.sample(mate_list, min(len(mate_list), rng.randint(1, 3)))
            start = max(a.bachelor_year + 1 for a in authors)
            start = min(start, NOW)
            year = rng.randint(min(first_year, NOW), NOW) if len(authors) == 1 else \
                rng.randint(start, NOW)
            shared = [k for k in s.skills if all(k in a.skills for a in authors)]
            topic_skills = list(shared or s.skills)
            rng.shuffle(topic_skills)
            title, abstract, venue = _paper_text(rng, topic_skills, s.groups[0])
            age = NOW - year
            citations = int(rng.lognormvariate(1.2, 1.1) * (age + 0.5))
            n = next(serial)
            paper = {"title": title, "abstract": abstract, "year": year, "venue": venue,
                     "citations": citations}
            if rng.random() < 0.75:
                paper["doi"] = f"10.5555/cg.{seed}.{block}.{n}"
            else:
                paper["id"] = f"demo-pub-{seed}-{block}-{n}"
            for a in authors:
                a.papers.append(paper)
        seniority = s.years_exp
        led = 0 if seniority < 6 else rng.choices((0, 1, 2, 3, 4), (30, 30, 20, 12, 8))[0]
        for _ in range(led):
            n = next(serial)
            start = rng.randint(max(s.bachelor_year + 3, NOW - 15), NOW - 1)
            end = start + rng.randint(1, 5)
            outcome = rng.choices(("ONGOING", "COMPLETED", "APPLIED", "TRANSFERRED"),
                                  (15, 40, 30, 15))[0]
            if end >= NOW:
                outcome, end = "ONGOING", None
            inter = len(s.groups) > 1 or rng.random() < 0.3
            areas = s.groups[:2] if inter and len(s.groups) > 1 else s.groups[:1]
            topic = rng.choice(V.TOPICS[s.groups[0]])
            skill_name = _ref().skill_en[rng.choice(s.skills)].lower()
            project = {
                "id": f"demo-prj-{seed}-{block}-{n}",
                "title": f"{rng.choice(V.PROJECT_KINDS)} {topic} ({skill_name})",
                "summary": f"Applies {skill_name} to {topic}; "
                           f"{'interdisciplinary team, ' if inter else ''}"
                           f"{rng.randint(4, 40)} researchers and engineers.",
                "scale": rng.choices(("INTERNATIONAL", "NATIONAL", "MINISTRY", "PROVINCE",
                                      "INSTITUTIONAL", "INDUSTRY"), (8, 22, 18, 10, 22, 20))[0],
                "outcome": outcome, "startYear": start, "endYear": end,
                "budgetUsd": float(round(rng.lognormvariate(12.5, 1.0), -3)),
                "interdisciplinary": inter, "areas": areas,
            }
            s.projects.append({**project, "relation": "LED", "role": "Chủ nhiệm"})
            for m in rng.sample(mate_list, min(len(mate_list), rng.randint(0, 2))):
                m.projects.append({**project, "relation": "CONTRIBUTED", "role": "Thành viên"})


# ---------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------


def _org_ref(o: Organization) -> str:
    return o.id


def _orgs_for(rng: random.Random, country: str, groups: list[str], kinds: tuple[str, ...],
              city: str | None = None) -> Any:
    """An organization of ``country`` of one of ``kinds``, preferring ones working in the
    expert's groups (and city); an inline organization for hosts the reference list lacks."""
    ref = _ref()
    orgs = [o for o in ref.orgs_by_country.get(country, ()) if o.kind in kinds] or \
        list(ref.orgs_by_country.get(country, ()))
    if not orgs:
        name, org_city, kind = rng.choice(V.EXTRA_ORGS.get(country, (
            (f"University of {city or country}", city or country, "UNIVERSITY"),)))
        return {"name": name, "country": country, "city": org_city, "kind": kind}
    fit = [o for o in orgs if any(g in o.areas for g in groups)] or orgs
    if city:
        local = [o for o in fit if o.city == city]
        if local and rng.random() < 0.8:
            fit = local
    return rng.choice(fit)


def _org_fields(org: Any) -> tuple[Any, str, str]:
    """The document value for an organization, its city and its kind."""
    if isinstance(org, dict):
        return org, org["city"], org["kind"]
    return _org_ref(org), org.city, org.kind


def _employment(s: _Sketch) -> tuple[list[dict[str, Any]], str, Any]:
    rng = s.rng
    start = min(s.phd_year or s.bachelor_year, NOW)
    jobs = 1 + min(3, (NOW - start) // 7) if NOW - start > 2 else 1
    jobs = max(1, jobs - rng.choice((0, 0, 1)))
    cuts = sorted(rng.sample(range(start + 1, NOW), jobs - 1)) if NOW - start - 1 >= jobs else []
    spans = list(zip([start] + cuts, cuts + [None]))
    academic_kinds = ("UNIVERSITY", "INSTITUTE")
    industry_kinds = ("COMPANY", "INSTITUTE", "COMPANY")
    kinds = academic_kinds if s.academic else industry_kinds
    city = None
    if s.country == "VN":
        city = _pickers()["city"](rng).city
    else:
        host = _pickers()["hosts"].get(s.country)
        city = rng.choice(host.cities) if host else None
    out = []
    current = None
    for i, (frm, to) in enumerate(spans):
        if s.diaspora == "RETURNEE":
            abroad = i < max(1, len(spans) - 1) if len(spans) > 1 else False
            country = s.host if abroad else "VN"
        else:
            country = s.country
        is_last = to is None
        org = _orgs_for(rng, country, s.groups, kinds if rng.random() < 0.85 else
                        ("AGENCY", "COMPANY", "UNIVERSITY"), city if is_last else None)
        value, org_city, kind = _org_fields(org)
        ladder = (V.ACADEMIC_TITLES if s.academic else V.INDUSTRY_TITLES)[kind]
        step = min(3, (frm - start) // 6 + (1 if s.years_exp > 20 and is_last else 0))
        title = ladder[step]
        if country == "VN" and title in V.VI_TITLES and rng.random() < 0.5:
            title = V.VI_TITLES[title]
        if s.phd_year and i == 0 and s.academic and country != "VN" and rng.random() < 0.4:
            title = "Postdoctoral Researcher"
        out.append({"organization": value, "title": title, "from": frm, "to": to})
        if is_last:
            current = (org_city, kind)
    if s.diaspora == "RETURNEE" and len(out) == 1:
        # A returnee with one job so far worked abroad during the PhD: record it first.
        org = _orgs_for(rng, s.host, s.groups, ("UNIVERSITY", "INSTITUTE", "COMPANY"))
        value, _, _ = _org_fields(org)
        frm = max(s.bachelor_year, out[0]["from"] - rng.randint(2, 5))
        out.insert(0, {"organization": value, "title": "Research Assistant", "from": frm,
                       "to": out[0]["from"]})
    out.reverse()  # current job first, as CVs list them
    return out, current[0] if current else city, current[1] if current else None


def _education(s: _Sketch) -> list[dict[str, Any]]:
    rng = s.rng
    ref = _ref()
    field_name = ref.skill_en[s.skills[0]]
    abroad_first = s.diaspora == "OVERSEAS" and rng.random() < 0.3
    if abroad_first:
        first = _orgs_for(rng, s.country, s.groups, ("UNIVERSITY",))
    else:
        fit = [o for o in ref.vn_universities if any(g in o.areas for g in s.groups)]
        first = rng.choice(fit or ref.vn_universities)
    degree = "ENGINEER" if rng.random() < 0.5 else "BACHELOR"
    out = [{"organization": _org_fields(first)[0], "degree": degree, "field": field_name,
            "year": s.bachelor_year}]
    if s.phd_year:
        phd_abroad = s.diaspora != "DOMESTIC" or rng.random() < 0.6
        where = s.host or _pickers()["host"](rng).country
        country = where if phd_abroad else "VN"
        tops = ref.top_universities.get(country, ())
        org = rng.choice(tops) if tops and rng.random() < 0.7 else \
            _orgs_for(rng, country, s.groups, ("UNIVERSITY",))
        if rng.random() < 0.4:
            out.append({"organization": _org_fields(org)[0], "degree": "MASTER",
                        "field": field_name, "year": min(s.phd_year - 1, s.bachelor_year + 2)})
        out.append({"organization": _org_fields(org)[0], "degree": "PHD",
                    "field": ref.skill_en[s.skills[min(1, len(s.skills) - 1)]],
                    "year": s.phd_year})
    elif rng.random() < 0.35 and NOW - s.bachelor_year > 3:
        out.append({"organization": _org_fields(first)[0], "degree": "MASTER",
                    "field": field_name, "year": s.bachelor_year + 2})
    return out


def _h_index(citations: list[int]) -> int:
    ranked = sorted(citations, reverse=True)
    return sum(1 for i, c in enumerate(ranked) if c >= i + 1)


def _honorific(s: _Sketch, papers: int) -> str | None:
    rng = s.rng
    if s.phd_year:
        if s.diaspora == "OVERSEAS" and rng.random() < 0.6:
            return None
        age = NOW - s.birth_year
        if s.academic and age >= 52 and papers >= 25 and rng.random() < 0.5:
            return "GS."
        if s.academic and age >= 42 and papers >= 12 and rng.random() < 0.55:
            return "PGS."
        return "TS."
    if not s.academic and rng.random() < 0.4:
        return "KS."
    return "ThS." if rng.random() < 0.2 else None


def _document(seed: int, s: _Sketch) -> dict[str, Any]:
    rng = s.rng
    ref = _ref()
    employment, city, current_kind = _employment(s)
    education = _education(s)
    citations = [p["citations"] for p in s.papers]
    skills = [{"skill": k, "level": s.levels[k],
               "years": max(0, min(s.years_exp, rng.randint(1, max(1, s.years_exp))))}
              for k in s.skills]
    verified = rng.random() < 0.25
    if verified:
        for item in skills[:2]:
            item["source"] = "VERIFIED"
    languages = ["vi", "en"] if rng.random() < 0.92 or s.diaspora != "DOMESTIC" else ["vi"]
    host_lang = V.HOST_LANGUAGE.get(s.host or "")
    if host_lang and rng.random() < 0.7:
        languages.append(host_lang)
    if rng.random() < 0.08:
        extra = rng.choice(("fr", "ja", "de", "ru", "ko", "zh"))
        if extra not in languages:
            languages.append(extra)
    nationalities = ["VN"]
    if s.diaspora == "OVERSEAS" and rng.random() < 0.45:
        nationalities = ["VN", s.host] if rng.random() < 0.6 else [s.host]
    # Some overseas records carry the name without diacritics, as foreign systems write it.
    full_name = s.ascii_name if s.diaspora == "OVERSEAS" and rng.random() < 0.12 else s.full_name
    main = ref.skill_en[s.skills[0]]
    headline_title = employment[0]["title"] if employment else "Expert"
    if s.country == "VN":
        headline = f"{headline_title} – {ref.skill_vi[s.skills[0]]}"
    else:
        headline = f"{headline_title} – {main}"
    focus = ", ".join(ref.skill_vi[k].lower() for k in s.skills[:3])
    topic = rng.choice(V.TOPICS[s.groups[0]])
    bio = (f"Chuyên gia {focus} với {s.years_exp} năm kinh nghiệm. "
           f"Works on {topic} with {main.lower()} and "
           f"{ref.skill_en[s.skills[-1]].lower()}.")
    availability = rng.choices(("FULL_TIME", "PART_TIME", "ADVISORY", "UNAVAILABLE"),
                               (20, 35, 30, 15))[0]
    available_from = None
    if availability != "UNAVAILABLE" and rng.random() < 0.4:
        day = REFERENCE_DATE.toordinal() + rng.randint(0, 420)
        available_from = date.fromordinal(day).isoformat()
    email_local = "".join(c for c in s.ascii_name.lower().split()[-1] + "." +
                          s.ascii_name.lower().split()[0] if c.isalnum() or c == ".")
    doc: dict[str, Any] = {
        "externalKey": external_key(seed, s.index),
        "fullName": full_name,
        "honorific": _honorific(s, len(s.papers)),
        "headline": headline,
        "bio": bio,
        "email": f"{email_local}.{s.index}@example.{'com' if s.country == 'VN' else 'org'}",
        "residenceCountry": s.country,
        "city": city,
        "diaspora": s.diaspora,
        "nationalities": nationalities,
        "languages": languages,
        "yearsExperience": s.years_exp,
        "hIndex": _h_index(citations),
        "citations": sum(citations) + (rng.randint(0, 40) if citations else 0),
        "availability": availability,
        "availableFrom": available_from,
        "willingToRelocate": rng.random() < (0.4 if s.diaspora == "OVERSEAS" else 0.2),
        "remoteOk": rng.random() < 0.7,
        "visibility": rng.choices(("PUBLIC", "REGISTERED", "PRIVATE"), (58, 34, 8))[0],
        "contactConsent": rng.random() < 0.6,
        "verified": verified,
        "gender": "FEMALE" if s.gender == "F" else "MALE",
        "birthYear": s.birth_year,
        "skills": skills,
        "employment": employment,
        "education": education,
        "publications": sorted(s.papers, key=lambda p: (-p["year"], p["title"])),
        "projects": s.projects,
    }
    if s.diaspora == "OVERSEAS" and s.academic and current_kind in ("UNIVERSITY", "INSTITUTE"):
        doc["currentForeignResearchPost"] = True
    if rng.random() < 0.5:
        code = V.CALLING_CODE.get(s.country, "84")
        doc["phone"] = f"+{code} {rng.randint(200, 999)} {rng.randint(100, 999)} " \
                       f"{rng.randint(1000, 9999)}"
    if rng.random() < 0.2:
        doc["homepage"] = f"https://example.org/~{email_local.replace('.', '-')}-{s.index}"
    if rng.random() < (0.35 if not s.academic else 0.15):
        doc["patents"] = _patents(seed, s)
    if s.years_exp >= 5 and rng.random() < 0.3:
        doc["awards"] = _awards(s)
    return doc


def _patents(seed: int, s: _Sketch) -> list[dict[str, Any]]:
    rng = s.rng
    out = []
    for k in range(rng.randint(1, 3)):
        country = rng.choice(("VN", s.country)) if s.country != "VN" else "VN"
        year = rng.randint(min(NOW, s.bachelor_year + 3), NOW)
        granted = rng.random() < 0.6
        number = f"{country}-{seed}-{s.index:06d}-{k}"
        skill = _ref().skill_en[rng.choice(s.skills)].lower()
        out.append({"number": number, "country": country, "year": year, "granted": granted,
                    "applied": granted and rng.random() < 0.55,
                    "title": f"Method and system for {rng.choice(V.TOPICS[s.groups[0]])} "
                             f"using {skill}"})
    return out


def _awards(s: _Sketch) -> list[dict[str, Any]]:
    rng = s.rng
    out = []
    for title, international in rng.sample(V.AWARDS, rng.randint(1, 2)):
        out.append({"title": title, "year": rng.randint(min(NOW, s.bachelor_year + 4), NOW),
                    "international": international})
    return out


def generate_profiles(n: int, *, seed: int = 57, start: int = 0) -> Iterator[dict[str, Any]]:
    """Yield demo profiles ``start`` .. ``n - 1`` (raw documents, deterministic)."""
    first_block = start // BLOCK
    for block in range(first_block, (n + BLOCK - 1) // BLOCK):
        lo, hi = block * BLOCK, min(n, (block + 1) * BLOCK)
        sketches = [_sketch(seed, i) for i in range(lo, hi)]
        _deal_works(seed, block, sketches)
        for s in sketches:
            if s.index >= start:
                yield _document(seed, s)
