"""The demo's last step: the evaluation rollups, once every activity of the story exists.

Dashboards read rollups, never raw statements (evaluation/models.py). They are computed
after the campaigns, themed weeks, shared takeaways and every card played, so that
/evaluation/campaign/<id>/ and /evaluation/event/<id>/ show their figures right after
`make demo`; the scheduler's job refreshes them afterwards.
"""

from django.db import transaction

from ancrage.evaluation.actions import refresh_rollups
from ancrage.lrs.models import Statement
from ancrage.tenancy.models import Organisation


@transaction.atomic
def load_rollups() -> list[str]:
    lines = []
    for organisation in Organisation.objects.filter(slug__in=("verdane", "belle-rive")).order_by(
        "name"
    ):
        figures = refresh_rollups(organisation=organisation)
        statements = Statement.objects.filter(organisation=organisation).count()
        lines.append(
            f"{organisation.name} : {figures} chiffres calculés à partir de "
            f"{statements} déclarations xAPI"
        )
    return lines
