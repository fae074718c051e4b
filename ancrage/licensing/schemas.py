"""Input and output shapes of the licensing API (separate: what comes in is never what goes out)."""

import uuid
from datetime import date, datetime
from typing import Any, Literal, Self

from ninja import Schema
from pydantic import Field, model_validator

# --- Output ------------------------------------------------------------------------------


class LicenceOut(Schema):
    id: uuid.UUID
    offer: str
    offer_kind: Literal["a_la_carte", "integrale"]
    status: Literal["draft", "active", "suspended", "expired"]
    state: str = Field(description="Status as of today: 'expired' once the last day has passed.")
    effective: bool = Field(description="Grants access today.")
    starts_on: date
    ends_on: date
    seats: int
    seats_used: int
    paths: list[str] = Field(description="Path codes of an à la carte licence; empty otherwise.")


class StepOut(Schema):
    path_code: str
    module_slug: str | None
    title: str


class ProgrammeOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    strategic_stake: str
    steps: list[StepOut]
    created_at: datetime
    updated_at: datetime


class AssignmentOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID | None
    path_code: str | None
    team_id: uuid.UUID | None
    person_email: str | None
    include_subteams: bool
    due_on: date | None
    created_at: datetime


class EnrolmentOut(Schema):
    id: uuid.UUID
    person_email: str
    person_name: str
    team: str | None
    path_code: str
    version: int
    origin: Literal["self", "assignment", "campaign", "event"]
    status: Literal["started", "completed", "abandoned"]
    started_at: datetime
    completed_at: datetime | None
    last_activity_at: datetime

    # Read from an Enrolment row (select_related membership__user, membership__team, path,
    # path_version), so that pagination slices the query instead of a list.
    @staticmethod
    def resolve_person_email(obj: Any) -> str:
        return str(obj.membership.user.email)

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.membership.user.get_full_name())

    @staticmethod
    def resolve_team(obj: Any) -> str | None:
        return obj.membership.team.name if obj.membership.team_id else None

    @staticmethod
    def resolve_path_code(obj: Any) -> str:
        return str(obj.path.code)

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.path_version.number)


# --- Input -------------------------------------------------------------------------------


class StepIn(Schema):
    path_code: str = Field(min_length=1, max_length=60, examples=["ECOUTE-ACTIVE"])
    module_slug: str = Field(default="", max_length=80, description="One module only, or empty.")


class ProgrammeIn(Schema):
    title: str = Field(min_length=1, max_length=200, examples=["Managers 2027"])
    description: str = Field(default="", max_length=5000)
    strategic_stake: str = Field(default="", max_length=300)
    steps: list[StepIn] = Field(default_factory=list, max_length=100)


class ProgrammePatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    strategic_stake: str | None = Field(default=None, max_length=300)
    steps: list[StepIn] | None = Field(
        default=None, max_length=100, description="Replaces every step, in this order."
    )


class AssignmentIn(Schema):
    programme_id: uuid.UUID | None = None
    path_code: str | None = Field(default=None, max_length=60)
    team_id: uuid.UUID | None = None
    person_email: str | None = Field(default=None, max_length=254)
    include_subteams: bool = False
    due_on: date | None = None

    @model_validator(mode="after")
    def one_target_one_audience(self) -> Self:
        if (self.programme_id is None) == (self.path_code is None):
            raise ValueError("Give exactly one of programme_id and path_code.")
        if (self.team_id is None) == (self.person_email is None):
            raise ValueError("Give exactly one of team_id and person_email.")
        if self.include_subteams and self.team_id is None:
            raise ValueError("include_subteams applies to a team assignment only.")
        return self


class EnrolmentFilter(Schema):
    status: Literal["started", "completed", "abandoned"] | None = None
    path_code: str | None = None
