"""Reads of evaluation: dashboards come from `Figure` rows only (one indexed query).

Access: L&D leads and organisation admins of the organisation; the scope is resolved inside
the actor's organisation (another organisation's id is a 404). Every figure goes through
`k_anonymous`: under 5 people it is hidden, on the page, in the PDF and in the exports.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from ancrage.evaluation.metrics import BY_CODE, SECTIONS, label_for
from ancrage.evaluation.models import Figure, SurveyRequest
from ancrage.evaluation.privacy import MIN_GROUP, k_anonymous
from ancrage.evaluation.scopes import KINDS, Scope, all_scopes, resolve
from ancrage.tenancy.models import Membership, Role
from ancrage.tenancy.queries import _uuid_or_404

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)


@dataclass(frozen=True)
class Shown:
    code: str
    label: str
    level: str
    ltem: str
    unit: str
    value: float | None  # None: hidden (fewer than 5 people) or no data
    population: int
    hidden: bool
    series: list[list[Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.hidden:
            return _("hidden (fewer than %(n)s people)") % {"n": MIN_GROUP}
        if self.value is None:
            return _("no data yet")
        number = f"{self.value:g}".replace(".", ",")
        if self.unit == "%":
            return f"{number} %"
        if self.unit == "/5":
            return f"{number} / 5"
        return number


@dataclass
class Dashboard:
    scope: Scope
    sections: list[tuple[str, list[Shown]]]
    refreshed_at: datetime | None

    def rows(self) -> list[Shown]:
        return [shown for _key, items in self.sections for shown in items]


def can_see_reports(actor: Membership | None) -> bool:
    return actor is not None and actor.role in LD_ROLES


def _shown(figure: Figure, kind: str) -> Shown:
    metric = BY_CODE.get(figure.metric)
    hidden = k_anonymous(figure.population, True) is None
    if metric is None:  # an imported indicator (results)
        name = figure.series[0][0] if figure.series else figure.metric
        return Shown(
            figure.metric,
            str(name),
            str(_("Kirkpatrick level 4 — results (leading indicators)")),
            "LTEM 8",
            "",
            None if hidden else figure.value,
            figure.population,
            hidden,
            [] if hidden else figure.series[1:],
        )
    return Shown(
        metric.code,
        str(label_for(metric, kind)),
        str(metric.level),
        metric.ltem,
        metric.unit,
        None if hidden else figure.value,
        figure.population,
        hidden,
    )


def dashboard(actor: Membership, kind: str, scope_id: Any) -> Dashboard:
    if not can_see_reports(actor) or kind not in KINDS:
        raise Http404
    scope, _enrolments = resolve(actor.organisation_id, kind, scope_id)
    figures = list(
        Figure.objects.filter(
            organisation_id=actor.organisation_id, scope_kind=kind, scope_id=scope.id
        ).order_by("position", "metric")
    )
    shown = [_shown(f, kind) for f in figures]
    sections = []
    for key, _title in SECTIONS:
        items = [
            s for s in shown if (BY_CODE[s.code].section if s.code in BY_CODE else "results") == key
        ]
        if items:
            sections.append((key, items))
    return Dashboard(scope, sections, figures[0].refreshed_at if figures else None)


def report_index(actor: Membership) -> dict[str, list[tuple[str, str]]]:
    if not can_see_reports(actor):
        raise Http404
    grouped: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS}
    for kind, scope_id, title in all_scopes(actor.organisation_id):
        grouped[kind].append((scope_id, title))
    return grouped


def access_survey_request(actor: Membership, request_id: Any) -> SurveyRequest:
    try:
        return SurveyRequest.objects.select_related("enrolment__path_version").get(
            pk=_uuid_or_404(request_id), learner=actor, organisation_id=actor.organisation_id
        )
    except SurveyRequest.DoesNotExist as exc:
        raise Http404 from exc
