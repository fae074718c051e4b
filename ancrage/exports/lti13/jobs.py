"""Periodic jobs of the LTI tool (see ancrage.common.schedule)."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.exports.lti13.actions import purge_expired, queue_score_publications


@periodic(name="lti13.publish_scores", every=timedelta(minutes=1))
def publish_scores(now: datetime) -> str:
    """Send new path completions to the LMS gradebooks (one idempotent task each)."""
    return f"{queue_score_publications()} LTI score(s) queued"


@periodic(name="lti13.purge_expired", every=timedelta(hours=6))
def purge(now: datetime) -> str:
    """Forget one-time LTI logins, handovers and deep-linking requests once expired."""
    return f"{purge_expired(now=now)} expired LTI row(s) removed"
