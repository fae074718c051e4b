"""Writes of evaluation: refreshing the rollups, importing indicators, follow-up surveys.

`refresh_rollups` replaces an organisation's rollups in one transaction: a dashboard reads
either the previous set or the new one, never half of each. `import_indicators` imports
every line or none.
"""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.csv_import import normalise
from ancrage.evaluation.figures import compute, statement_activity
from ancrage.evaluation.instruments import DELAYS, INSTRUMENTS
from ancrage.evaluation.metrics import BY_CODE, METRICS
from ancrage.evaluation.models import (
    EnrolmentActivity,
    Figure,
    Indicator,
    IndicatorValue,
    SurveyRequest,
)
from ancrage.evaluation.scopes import all_scopes, resolve
from ancrage.notify.actions import send_email
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.models import Membership, Organisation, Team
from ancrage.tenancy.queries import team_path

POSITIONS = {m.code: index for index, m in enumerate(METRICS)}


def _refresh_activity(organisation_id: Any) -> int:
    acts = statement_activity(organisation_id, None)
    known = {
        str(pk)
        for pk in Enrolment.objects.filter(organisation_id=organisation_id).values_list(
            "pk", flat=True
        )
    }
    EnrolmentActivity.objects.filter(organisation_id=organisation_id).delete()
    rows = [
        EnrolmentActivity(
            enrolment_id=uuid.UUID(reg),
            organisation_id=organisation_id,
            statements=a.statements,
            last_stored=a.last_stored,
            score_sum=a.score_sum,
            score_count=a.score_count,
        )
        for reg, a in acts.items()
        if reg in known
    ]
    EnrolmentActivity.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def refresh_rollups(*, organisation: Organisation, now: datetime | None = None) -> int:
    """Recompute every dashboard figure of the organisation; returns the figures written."""
    now = now or timezone.now()
    _refresh_activity(organisation.pk)
    figures: list[Figure] = []
    for kind, scope_id, _title in all_scopes(organisation.pk):
        scope, enrolments = resolve(organisation.pk, kind, scope_id)
        values = compute(
            organisation.pk, enrolments, now=now, team_ids=scope.team_ids, steps=scope.steps
        )
        for code, value in values.items():
            figures.append(
                Figure(
                    organisation=organisation,
                    scope_kind=kind,
                    scope_id=scope_id,
                    metric=code,
                    position=POSITIONS.get(code, len(POSITIONS)),
                    value=value.value,
                    population=value.population,
                    series=value.series,
                    refreshed_at=now,
                )
            )
    Figure.objects.filter(organisation=organisation).delete()
    Figure.objects.bulk_create(figures, batch_size=2000)
    return len(figures)


# --- Indicator import ---------------------------------------------------------------------


@dataclass(frozen=True)
class LineError:
    line: int | None
    column: str
    message: str


class ImportRefused(Exception):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


COLUMNS = {
    "indicator": ("indicator", "indicateur"),
    "team": ("team", "équipe", "equipe"),
    "date": ("date", "day", "jour"),
    "value": ("value", "valeur"),
}


def _parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 — a calendar day
        except ValueError:
            continue
    return None


@transaction.atomic
def import_indicators(*, organisation: Organisation, data: bytes, today: date | None = None) -> int:
    """Import leading-indicator values (indicator, team, date, value) — all lines or none.

    Teams are matched by name or path ("Ventes › PME"), ignoring case and accents. Raises
    ImportRefused listing every bad line (unknown team, bad date, bad number)."""
    today = today or timezone.localdate()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    sample = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text), delimiter=";" if sample.count(";") > sample.count(",") else ","
    )
    rows = list(reader)
    if not rows:
        raise ImportRefused([LineError(None, "file", _("The file is empty."))])
    header = [normalise(h) for h in rows[0]]
    index: dict[str, int] = {}
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if normalise(alias) in header:
                index[column] = header.index(normalise(alias))
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        raise ImportRefused(
            [
                LineError(
                    1, "header", _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)}
                )
            ]
        )
    teams: dict[str, Team] = {}
    for team in Team.objects.filter(organisation=organisation).select_related("parent"):
        teams.setdefault(normalise(team.name), team)
        teams[normalise(team_path(team).replace(" › ", " > "))] = team
        teams[normalise(team_path(team))] = team
    errors: list[LineError] = []
    parsed: list[tuple[str, Team, date, float]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
        name = cells["indicator"]
        if not name:
            errors.append(LineError(number, "indicator", _("The indicator's name is empty.")))
        found = teams.get(normalise(cells["team"]))
        if found is None:
            errors.append(
                LineError(number, "team", _("Unknown team “%(team)s”.") % {"team": cells["team"]})
            )
        day = _parse_date(cells["date"])
        if day is None:
            errors.append(
                LineError(
                    number,
                    "date",
                    _("“%(date)s” is not a date: write 2026-03-31 or 31/03/2026.")
                    % {"date": cells["date"]},
                )
            )
        elif day > today:
            errors.append(LineError(number, "date", _("This date is in the future.")))
        try:
            value = float(cells["value"].replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except ValueError:
            errors.append(
                LineError(
                    number, "value", _("“%(value)s” is not a number.") % {"value": cells["value"]}
                )
            )
            continue
        if name and found is not None and day is not None and day <= today:
            parsed.append((name, found, day, value))
    if errors:
        raise ImportRefused(errors)
    if not parsed:
        raise ImportRefused([LineError(None, "file", _("The file has no data line."))])
    for name, team, day, value in parsed:
        indicator, _created = Indicator.objects.get_or_create(organisation=organisation, name=name)
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            team=team,
            measured_on=day,
            defaults={"organisation": organisation, "value": value},
        )
    return len(parsed)


# --- Follow-up surveys --------------------------------------------------------------------


@transaction.atomic
def ask_follow_up_surveys(*, now: datetime | None = None) -> list[SurveyRequest]:
    """Ask the L3 self-report 30 days and the success-case survey 90 days after completion."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = []
    for instrument, delay in DELAYS.items():
        cutoff = today - timedelta(days=delay)
        for enrolment in Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED, completed_at__date__lte=cutoff
        ).select_related("membership__user"):
            request, made = SurveyRequest.objects.get_or_create(
                enrolment=enrolment,
                instrument=instrument,
                defaults={
                    "organisation_id": enrolment.organisation_id,
                    "learner": enrolment.membership,
                    "due_on": enrolment.completed_at.date() + timedelta(days=delay)
                    if enrolment.completed_at
                    else today,
                },
            )
            if made:
                request.sent_at = now
                request.save(update_fields=["sent_at"])
                send_email(
                    to=enrolment.membership,
                    template="evaluation/email/survey",
                    context={
                        "name": enrolment.membership.user.get_full_name(),
                        "link": settings.SITE_URL + reverse("evaluation_survey", args=[request.pk]),
                    },
                    idempotency_key=f"evaluation:survey:{request.pk}",
                    topic="reminders",
                    source=f"survey:{instrument}",
                )
                created.append(request)
    return created


class SurveyError(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(str(errors))
        self.errors = errors


@transaction.atomic
def answer_survey(
    *,
    learner: Membership,
    request: SurveyRequest,
    answers: dict[str, str],
    now: datetime | None = None,
) -> SurveyRequest:
    now = now or timezone.now()
    if request.learner_id != learner.pk:
        raise SurveyError({"": _("This survey is not yours.")})
    if request.answered_at is not None:
        raise SurveyError({"": _("You have already answered this survey. Thank you!")})
    errors = {}
    clean: dict[str, str] = {}
    for item in INSTRUMENTS[request.instrument]:
        value = answers.get(item.name, "").strip()
        if item.free_text:
            clean[item.name] = value[:2000]
        elif value not in {code for code, _label in item.choices}:
            errors[item.name] = _("Choose one answer.")
        else:
            clean[item.name] = value
    if errors:
        raise SurveyError(errors)
    request.answers = clean
    request.answered_at = now
    request.save(update_fields=["answers", "answered_at", "updated_at"])
    return request


def metric_label(code: str) -> str:
    metric = BY_CODE.get(code)
    return str(metric.label) if metric else code
