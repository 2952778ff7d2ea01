"""Team formation: an eligible lead, members covering the skills, co-authors preferred."""

from __future__ import annotations

from registry.db import Database

from .conftest import add, skill, task_input

REQUIREMENTS = [
    {"skill": "large-language-models", "weight": 1.0, "minLevel": 3},
    {"skill": "speech-recognition", "weight": 0.8, "minLevel": 3},
    {"skill": "edge-ai", "weight": 0.6, "minLevel": 3},
]
SHARED = {"title": "Vietnamese speech and language models on the edge", "year": 2024,
          "doi": "10.1234/vn-speech-2024"}
LED = [{"title": f"Chương trình {i}", "relation": "LED", "scale": "NATIONAL"} for i in range(2)]


def test_team_covers_the_required_skills_and_prefers_co_authors(db: Database, matcher):
    lead = add(db, "lead", yearsExperience=20, projects=LED, publications=[SHARED],
               skills=[skill("large-language-models", 5)])
    add(db, "junior", yearsExperience=3, skills=[skill("large-language-models", 5),
                                                 skill("speech-recognition", 4)])
    coauthor = add(db, "coauthor", publications=[SHARED], hIndex=2,
                   skills=[skill("speech-recognition", 4)])
    stranger = add(db, "stranger", hIndex=40, citations=4000, verified=True,
                   skills=[skill("speech-recognition", 4)], publications=[
                       {"title": "Speech recognition and language models for Vietnamese on "
                                 "edge devices", "year": 2025}])
    edge = add(db, "edge", skills=[skill("edge-ai", 4)])
    task = task_input(roleSought="CHIEF_ENGINEER", chiefEngineerKind="SYSTEM",
                      requirements=REQUIREMENTS)

    ranking = matcher.rank(db, task, first=10)
    score = {c.expert_id: c.score for c in (*ranking.candidates, *ranking.excluded)}
    assert score[stranger] > score[coauthor]  # alone, the stranger ranks higher

    team = matcher.recommend_team(db, task, 3)
    assert team.lead.expert_id == lead and team.lead.eligibility.status == "ELIGIBLE"
    assert [m.expert_id for m in team.members] == [coauthor, edge]
    assert team.members[0].worked_with == (lead,)
    assert [g.skill for g in team.members[0].adds] == ["speech-recognition"]
    assert [g.skill for g in team.members[1].adds] == ["edge-ai"]
    assert team.uncovered == () and team.coverage == 1.0
    assert team.model_id == "transparent-v1" and team.tech_list_id == "qd-1131-2025"


def test_what_stays_uncovered_is_reported(db: Database, matcher):
    lead = add(db, "lead", yearsExperience=8, skills=[skill("large-language-models", 5)])
    task = task_input(requirements=REQUIREMENTS)
    team = matcher.recommend_team(db, task, 4)
    assert team.lead.expert_id == lead and team.members == ()
    assert [u.skill for u in team.uncovered] == ["speech-recognition", "edge-ai"]
    assert team.coverage == round(1.0 / 2.4, 4)


def test_unavailable_people_are_not_put_on_a_team(db: Database, matcher):
    add(db, "lead", skills=[skill("large-language-models", 5)])
    off = add(db, "off", availability="UNAVAILABLE", skills=[skill("speech-recognition", 5)])
    team = matcher.recommend_team(db, task_input(requirements=REQUIREMENTS), 3)
    assert off not in team.expert_ids
