"""Builders for the matcher's tests: experts with only the fields a test is about, tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from matching.service import Matcher
from registry.db import Database
from registry.experts import create_expert

TODAY = dt.date(2026, 3, 1)
LIST = "qd-1131-2025"


def bare(key: str, **fields: Any) -> dict[str, Any]:
    """A minimal public profile; ``key`` makes the e-mail (and so the id) unique."""
    doc: dict[str, Any] = {
        "fullName": f"Nguyễn Văn {key.title()}", "email": f"{key}@example.org",
        "residenceCountry": "VN", "city": "Hà Nội", "languages": ["vi", "en"],
        "yearsExperience": 8, "availability": "FULL_TIME", "visibility": "PUBLIC",
        "skills": [],
    }
    doc.update(fields)
    return doc


def add(db: Database, key: str, **fields: Any) -> str:
    return create_expert(db, bare(key, **fields))["id"]


def skill(sid: str, level: int = 4, years: int = 5) -> dict[str, Any]:
    return {"skill": sid, "level": level, "years": years}


def task_input(**fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": "Mô hình ngôn ngữ lớn tiếng Việt",
        "description": "Xây dựng mô hình ngôn ngữ lớn cho tiếng Việt và trợ lý ảo.",
        "roleSought": "MEMBER", "onsite": "REMOTE", "techListId": LIST,
        "areas": ["ai-digital-twin-xr"],
        "requirements": [{"skill": "large-language-models", "weight": 1.0}],
    }
    doc.update(fields)
    return doc


@pytest.fixture
def matcher(tmp_path) -> Matcher:
    return Matcher(model_dir=tmp_path / "models", max_staleness=0.0, text_refit="sync",
                   today=TODAY)
