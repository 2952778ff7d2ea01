"""Small builders of valid input documents for tests."""

from __future__ import annotations

from typing import Any


def profile(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "fullName": "Nguyễn Minh Đức",
        "honorific": "TS.",
        "headline": "Thiết kế vi mạch tương tự",
        "bio": "Kỹ sư thiết kế chip với 12 năm kinh nghiệm tại Intel và Viettel.",
        "email": "duc.nguyen@example.org",
        "phone": "+84 912 345 678",
        "residenceCountry": "us",
        "city": "San Jose",
        "languages": ["vi", "en"],
        "yearsExperience": 12,
        "hIndex": 9,
        "citations": 420,
        "availability": "PART_TIME",
        "visibility": "PUBLIC",
        "contactConsent": True,
        "skills": [
            {"skill": "machine-learning", "level": 4, "years": 6},
            {"skill": "deep-learning", "level": 3, "years": 4},
        ],
        "employment": [
            {"organization": {"name": "Analog Chips Inc.", "country": "US", "kind": "COMPANY"},
             "title": "Principal Engineer", "from": 2016},
        ],
        "education": [
            {"organization": {"name": "Đại học Bách khoa Hà Nội", "country": "VN",
                              "kind": "UNIVERSITY"}, "degree": "ENGINEER", "year": 2010},
        ],
        "publications": [
            {"title": "Low-power ADC design for edge AI", "year": 2021, "venue": "ISSCC",
             "doi": "10.1109/isscc.2021.1234"},
        ],
        "patents": [{"number": "US1234567", "title": "A sigma-delta modulator", "year": 2020,
                     "granted": True, "applied": True, "country": "US"}],
        "projects": [{"title": "Edge AI camera SoC", "relation": "LED", "scale": "NATIONAL",
                      "outcome": "TRANSFERRED", "startYear": 2019, "endYear": 2022,
                      "interdisciplinary": True, "areas": ["semiconductor-chips"]}],
        "awards": [{"title": "IEEE Young Engineer Award", "year": 2019, "international": True}],
    }
    doc.update(overrides)
    return doc
