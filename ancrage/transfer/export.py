"""The learner's journal export: everything they wrote, in JSON and as a printable page.

Built only from the author's own rows (the caller passes the author's Membership).
"""

from typing import Any

from ancrage.tenancy.models import Membership
from ancrage.transfer.actions import GIBBS_FIELDS
from ancrage.transfer.behaviours import shown_by_id
from ancrage.transfer.queries import journal_of, self_assessments_of, self_ratings_of

EXPORT_FORMAT = "ancrage-journal/1"


def journal_export(author: Membership) -> dict[str, Any]:
    entries = list(journal_of(author).order_by("occurred_on", "created_at"))
    assessments = list(self_assessments_of(author).order_by("assessed_on", "created_at"))
    ratings = list(self_ratings_of(author).order_by("rated_on", "created_at"))
    shown = shown_by_id(author.organisation_id, [r.key_behaviour_id for r in ratings])
    return {
        "format": EXPORT_FORMAT,
        "author": {"name": author.user.get_full_name(), "email": author.user.email},
        "organisation": author.organisation.name,
        "entries": [
            {
                "id": str(e.pk),
                "title": e.title,
                "occurred_on": e.occurred_on.isoformat(),
                "situation": e.situation,
                **{name: getattr(e, name) for name in GIBBS_FIELDS},
                "markers": e.markers,
            }
            for e in entries
        ],
        "self_assessments": [
            {
                "id": str(a.pk),
                "entry": str(a.entry_id) if a.entry_id else None,
                "assessed_on": a.assessed_on.isoformat(),
                "grid": a.grid,
                "observation": {"text": a.observation_text, "score": a.observation_score},
                "feeling": {"text": a.feeling_text, "score": a.feeling_score},
                "need": {"text": a.need_text, "score": a.need_score},
                "request": {"text": a.request_text, "score": a.request_score},
                "markers": a.markers,
            }
            for a in assessments
        ],
        "behaviour_self_ratings": [
            {
                "behaviour": r.key_behaviour.code,
                "statement": shown[r.key_behaviour_id].statement,
                "score": r.score,
                "rated_on": r.rated_on.isoformat(),
            }
            for r in ratings
        ],
    }
