"""Background work of the LTI tool (Django Tasks API)."""

from django.tasks import task

from ancrage.exports.lti13.scores import publish_score


@task()
def publish_lti_score(score_link_id: str) -> str:
    """Publish one learner's path completion to the LMS gradebook; idempotent."""
    return publish_score(score_link_id=score_link_id)
