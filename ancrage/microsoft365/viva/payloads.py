"""Viva Learning payloads built from our catalogue and enrolments (Microsoft Graph v1.0).

- `learning_content`: one published path → a `learningContent` (upserted by its externalId,
  the path code). Properties as documented on learn.microsoft.com/graph/api/resources/
  learningcontent: title, externalId, contentWebUrl, languageTag, duration (ISO 8601),
  format, skillTags, contributors, description, level, sourceName, isActive, isSearchable.
- `course_activity`: a person's assignment (`#microsoft.graph.learningAssignment`) or a path
  they chose themselves (`#microsoft.graph.learningSelfInitiatedCourse`), with status and
  completion (learningcourseactivity, learningassignment, learningselfinitiatedcourse).

The Graph metadata spells the provider's id of an activity `externalcourseActivityId`
(lower-case c); that is the spelling sent.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from ancrage.catalog.models import Level, PathVersion

LEVELS: dict[str, str] = {
    Level.DECOUVERTE: "Beginner",
    Level.APPROFONDISSEMENT: "Intermediate",
    Level.EXPERT: "Advanced",
}
LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}


def iso_timestamp(value: datetime) -> str:
    """Graph's DateTimeOffset: UTC, seconds, `Z`."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_duration(minutes: int) -> str:
    hours, rest = divmod(max(minutes, 1), 60)
    return f"PT{hours}H{rest}M" if hours and rest else f"PT{hours}H" if hours else f"PT{rest}M"


def end_of_day(day: date) -> datetime:
    """A due date means the whole day, in the site's time zone."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def learning_content(version: PathVersion, *, content_url: str) -> dict[str, Any]:
    path = version.path
    skills = [str(skill) for skill in (version.skills or []) if str(skill).strip()]
    payload: dict[str, Any] = {
        "externalId": path.code,
        "title": version.title,
        "contentWebUrl": content_url,
        "languageTag": LANGUAGE_TAGS.get(path.language, path.language),
        "duration": iso_duration(version.promise_minutes),
        "format": "Course",
        "sourceName": "Ancrage",
        "contributors": [path.publisher] if path.publisher else [],
        "skillTags": skills,
        "isActive": True,
        "isSearchable": True,
    }
    if version.summary:
        payload["description"] = version.summary[:2000]
    if version.level in LEVELS:
        payload["level"] = LEVELS[version.level]
    if version.published_at:
        payload["lastModifiedDateTime"] = iso_timestamp(version.published_at)
    return payload


@dataclass(frozen=True)
class Activity:
    """What we know of one person and one path, in our own words."""

    external_id: str
    learner_object_id: str
    content_id: str  # Viva Learning's id of the learningContent
    assigned: bool
    assigned_at: datetime | None = None
    due_on: date | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    percent: int = 0


def course_status(activity: Activity) -> str:
    if activity.completed_at is not None:
        return "completed"
    return "inProgress" if activity.started_at is not None else "notStarted"


def course_activity(activity: Activity, *, provider_id: str) -> dict[str, Any]:
    status = course_status(activity)
    payload: dict[str, Any] = {
        "@odata.type": "#microsoft.graph.learningAssignment"
        if activity.assigned
        else "#microsoft.graph.learningSelfInitiatedCourse",
        "learningProviderId": provider_id,
        "learningContentId": activity.content_id,
        "learnerUserId": activity.learner_object_id,
        "externalcourseActivityId": activity.external_id,
        "status": status,
        "completionPercentage": 100 if status == "completed" else max(0, min(activity.percent, 99)),
    }
    if activity.completed_at is not None:
        payload["completedDateTime"] = iso_timestamp(activity.completed_at)
    if activity.assigned:
        payload["assignmentType"] = "required"
        if activity.assigned_at is not None:
            payload["assignedDateTime"] = iso_timestamp(activity.assigned_at)
        if activity.due_on is not None:
            payload["dueDateTime"] = iso_timestamp(end_of_day(activity.due_on))
    elif activity.started_at is not None:
        payload["startedDateTime"] = iso_timestamp(activity.started_at)
    return payload
