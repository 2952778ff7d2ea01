"""GraphQL enums that mirror the registry's vocabularies.

Each is built from the registry's own tuple of allowed values, so a value the registry adds
appears in the schema at once (and the schema-drift test asks for ``schema.graphql`` to be
re-exported) instead of failing when a stored value cannot be serialised.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from registry import accounts, organizations, profile, programme_types

__all__ = [
    "Diaspora", "Availability", "Visibility", "SkillSource", "Degree", "ProjectRelation",
    "ProjectScale", "ProjectOutcome", "Gender", "OrganizationKind", "Role", "TaskRole",
    "ChiefEngineerKind", "OnsiteMode", "AwardMode", "TaskStatus", "enum_value",
]


def _enum(name: str, values: tuple[str, ...], description: str) -> Any:
    return strawberry.enum(Enum(name, {v: v for v in values}), description=description)


Diaspora = _enum("Diaspora", profile.DIASPORA, "Where the expert lives and works: in Viet Nam, "
                 "abroad, or back in Viet Nam after working abroad.")
Availability = _enum("Availability", profile.AVAILABILITY, "How much time the expert can give.")
Visibility = _enum("Visibility", profile.VISIBILITY, "Who may see the profile: anyone, "
                   "signed-in callers, or only the expert and administrators.")
SkillSource = _enum("SkillSource", profile.SKILL_SOURCES, "Who vouches for a skill.")
Degree = _enum("Degree", profile.DEGREES, "Academic degree.")
ProjectRelation = _enum("ProjectRelation", profile.PROJECT_RELATIONS,
                        "Whether the expert led the project or contributed to it.")
ProjectScale = _enum("ProjectScale", profile.PROJECT_SCALES, "Level at which a project ran.")
ProjectOutcome = _enum("ProjectOutcome", profile.PROJECT_OUTCOMES, "What became of a project.")
Gender = _enum("Gender", profile.GENDERS, "Protected attribute; never used for matching.")
OrganizationKind = _enum("OrganizationKind", organizations.ORG_KINDS, "Kind of organization.")
Role = _enum("Role", accounts.ROLES, "What an account may do.")
TaskRole = _enum("TaskRole", programme_types.ROLES_SOUGHT, "The role a task seeks someone for.")
ChiefEngineerKind = _enum("ChiefEngineerKind", programme_types.CHIEF_ENGINEER_KINDS,
                          "Which kind of chief engineer a task seeks.")
OnsiteMode = _enum("OnsiteMode", programme_types.ONSITE_MODES, "Where the work is done.")
AwardMode = _enum("AwardMode", programme_types.AWARD_MODES, "How the task is awarded.")
TaskStatus = _enum("TaskStatus", programme_types.TASK_STATUSES,
                   "DRAFT (only its lead sees it), OPEN (seeking candidates) or CLOSED.")


def enum_value(enum: Any, value: str | None) -> Any:
    """``enum(value)``, or None for a missing value or one the enum does not know."""
    try:
        return enum(value) if value is not None else None
    except ValueError:
        return None
