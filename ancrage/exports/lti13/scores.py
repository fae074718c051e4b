"""AGS score publication: which completions are still to send, and sending one.

`publish_score` is what the task runs; it is idempotent: a completion already published
for a score link is not sent again, and a failure is recorded for the next run.
"""

import logging

from django.db.models import Avg, F, OuterRef, Q, Subquery
from django.utils import timezone

from ancrage.exports.lti13 import platform
from ancrage.exports.lti13.models import ScoreLink
from ancrage.player.models import Enrolment, ModuleProgress

logger = logging.getLogger("ancrage.lti")

SCORE_MAXIMUM = 100


def _completed_enrolment(link: ScoreLink) -> Enrolment | None:
    return Enrolment.objects.filter(
        membership_id=link.membership_id, path_id=link.path_id, completed_at__isnull=False
    ).first()


def pending_score_links() -> list[ScoreLink]:
    """Score links whose learner completed the path since the last publication (1 query)."""
    completed = Enrolment.objects.filter(
        membership_id=OuterRef("membership_id"),
        path_id=OuterRef("path_id"),
        completed_at__isnull=False,
    ).values("completed_at")[:1]
    return list(
        ScoreLink.objects.filter(registration__is_active=True)
        .annotate(done=Subquery(completed))
        .filter(done__isnull=False)
        .filter(Q(published_completion_at__isnull=True) | ~Q(published_completion_at=F("done")))
    )


def score_of(enrolment: Enrolment) -> float:
    """The path's score out of SCORE_MAXIMUM: the mean quiz score, or full marks."""
    mean = ModuleProgress.objects.filter(enrolment=enrolment, score__isnull=False).aggregate(
        mean=Avg("score")
    )["mean"]
    return round((1.0 if mean is None else float(mean)) * SCORE_MAXIMUM, 2)


def publish_score(*, score_link_id: str) -> str:
    """Publish the completion of one score link to the LMS; idempotent (returns what it did).

    The network call happens outside any transaction; the row is then updated only if no
    other run published the same completion meanwhile.
    """
    link = (
        ScoreLink.objects.select_related("registration", "identity")
        .filter(pk=score_link_id)
        .first()
    )
    if link is None:
        return "gone"
    enrolment = _completed_enrolment(link)
    if enrolment is None or enrolment.completed_at is None:
        return "not completed"
    if link.published_completion_at == enrolment.completed_at:
        return "already published"
    score = {
        "userId": link.identity.sub,
        "scoreGiven": score_of(enrolment),
        "scoreMaximum": SCORE_MAXIMUM,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": enrolment.completed_at.isoformat(),
    }
    try:
        platform.publish_score(link.registration, lineitem_url=link.lineitem_url, score=score)
    except platform.PlatformError as exc:
        logger.warning("LTI score for link %s not published: %s", link.pk, exc)
        ScoreLink.objects.filter(pk=link.pk).update(
            attempts=link.attempts + 1, last_error=str(exc)[:1000]
        )
        return f"failed: {exc}"
    ScoreLink.objects.filter(pk=link.pk).update(
        published_completion_at=enrolment.completed_at,
        published_at=timezone.now(),
        attempts=link.attempts + 1,
        last_error="",
    )
    return "published"
