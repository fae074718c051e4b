"""From a report snapshot (JSON figures) to what the report template shows: labelled
figures, each with its evaluation level, and the SVG charts. Used by the web page and the
PDF alike, so both show the same picture."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.engagement import charts
from ancrage.engagement.models import EventReport, EventTheme, MessageKind
from ancrage.player.survey import ITEMS

LEVEL_ATTENDANCE = gettext_lazy("LTEM tier 1 · attendance")
LEVEL_ACTIVITY = gettext_lazy("LTEM tier 2 · activity")
LEVEL_REACTION = gettext_lazy("Kirkpatrick level 1 · LTEM tier 3 · reaction")
LEVEL_COMMITMENT = gettext_lazy("Kirkpatrick level 2 · commitment")
LEVEL_CULTURE = gettext_lazy("Leading indicator · learning culture")
LEVEL_DEPLOYMENT = gettext_lazy("Deployment · an effort, not an outcome")
ITEM_SHORT = {
    "relevance": gettext_lazy("Useful for my job soon"),
    "intention": gettext_lazy("Decided or will try to apply"),
    "support": gettext_lazy("Expects support to apply"),
}


@dataclass
class Figure:
    label: str | Promise
    value: str
    level: str | Promise
    note: str = ""
    measured: bool = True


@dataclass
class ReportView:
    report: EventReport
    figures: dict[str, Any]
    title: str
    organisation: str
    stake: str
    theme: str
    starts_on: date
    ends_on: date
    generated_at: datetime
    final: bool
    hidden: bool
    headline: list[Figure] = field(default_factory=list)
    gauge: SafeString | None = None
    team_chart: SafeString | None = None
    daily_chart: SafeString | None = None
    reaction_chart: SafeString | None = None
    reaction_rows: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _percent(value: int) -> str:
    return f"{value} %"


def _communications(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sent messages in order, the daily cards folded into one line."""
    rows: list[dict[str, Any]] = []
    daily: dict[str, Any] | None = None
    for m in messages:
        row = {
            **m,
            "kind_label": MessageKind(m["kind"]).label,
            "sent_at": datetime.fromisoformat(m["sent_at"]) if m["sent_at"] else None,
            "count": 1,
        }
        if m["kind"] == MessageKind.DAILY_CARD:
            if daily is None:
                daily = row
                rows.append(row)
            else:
                daily["count"] += 1
            continue
        rows.append(row)
    if daily is not None and daily["count"] > 1:
        daily["subject"] = _("%(subject)s (%(count)s working days)") % {
            "subject": daily["subject"],
            "count": daily["count"],
        }
    return rows


def present(report: EventReport) -> ReportView:
    f = report.figures
    target = f.get("target")
    view = ReportView(
        report=report,
        figures=f,
        title=f["title"],
        organisation=f["organisation"],
        stake=f["stake"],
        theme=str(EventTheme(f["theme"]).label) if f.get("theme") else "",
        starts_on=date.fromisoformat(f["starts_on"]),
        ends_on=date.fromisoformat(f["ends_on"]),
        generated_at=datetime.fromisoformat(f["generated_at"]),
        final=bool(f.get("final")),
        hidden=bool(f.get("hidden")),
    )
    view.messages = _communications(f.get("messages", []))
    if view.hidden:
        return view

    target_caption = _("Target %(target)s %%") % {"target": target} if target else ""
    participation_note = (
        _("%(people)s of %(audience)s people started a path; target %(target)s %%.")
        if target
        else _("%(people)s of %(audience)s people started a path.")
    ) % {"people": _number(f["participants"]), "audience": _number(f["audience"]), "target": target}
    view.headline = [
        Figure(
            _("Participation"), _percent(f["participation"]), LEVEL_ATTENDANCE, participation_note
        ),
        Figure(
            _("Paths completed"),
            _number(f["completions"]),
            LEVEL_ATTENDANCE,
            _("by %(people)s people, %(rate)s %% of participants")
            % {"people": _number(f["finishers"]), "rate": f["completion_rate"]},
        ),
        Figure(
            _("Minutes learned"),
            _number(f["minutes"]),
            LEVEL_ACTIVITY,
            _("modules completed × their estimated length; %(each)s min per participant")
            % {"each": f["minutes_per_participant"]},
        ),
    ]
    reaction = f["reaction"]
    if reaction["responses"] == 0:
        view.headline.append(
            Figure(
                _("Reaction"),
                _("not measured yet"),
                LEVEL_REACTION,
                _("no survey answer in this period"),
                measured=False,
            )
        )
    elif f.get("reaction_hidden"):
        view.headline.append(
            Figure(_("Reaction"), "< 5", LEVEL_REACTION, _("fewer than 5 answers: hidden"))
        )
    else:
        intention = next(i for i in reaction["items"] if i["name"] == "intention")
        view.headline.append(
            Figure(
                _("Intend to apply"),
                _percent(intention["favourable"]),
                LEVEL_REACTION,
                _("of %(count)s survey answers") % {"count": _number(reaction["responses"])},
            )
        )
    plans = f["plans"]
    if plans["count"] == 0:
        view.headline.append(
            Figure(
                _("Action plans committed"),
                _("not measured yet"),
                LEVEL_COMMITMENT,
                _("no action plan in this period"),
                measured=False,
            )
        )
    elif plans["hidden"]:
        view.headline.append(
            Figure(
                _("Action plans committed"),
                "< 5",
                LEVEL_COMMITMENT,
                _("fewer than 5 people: hidden"),
            )
        )
    else:
        view.headline.append(
            Figure(
                _("Action plans committed"),
                _number(plans["count"]),
                LEVEL_COMMITMENT,
                _("by %(people)s people; %(complete)s %% name day, time, place and task")
                % {"people": _number(plans["people"]), "complete": plans["complete_share"]},
            )
        )
    takeaways = f["takeaways"]
    view.headline.append(
        Figure(
            _("Takeaways shared"),
            _number(takeaways["count"]) if takeaways["count"] else _("not measured yet"),
            LEVEL_CULTURE,
            _("by %(people)s people") % {"people": _number(takeaways["people"])}
            if takeaways["count"]
            else _("nobody shared one yet"),
            measured=bool(takeaways["count"]),
        )
    )

    deliveries = f.get("deliveries", {})
    delivered = sum(
        deliveries.get(f"{channel}_sent", 0) for channel in ("email", "teams", "calendar")
    )
    view.headline.append(
        Figure(
            _("Messages delivered"),
            _number(delivered),
            LEVEL_DEPLOYMENT,
            _("%(emails)s emails, %(cards)s Teams cards, %(invitations)s invitations")
            % {
                "emails": _number(deliveries.get("email_sent", 0)),
                "cards": _number(deliveries.get("teams_sent", 0)),
                "invitations": _number(deliveries.get("calendar_sent", 0)),
            },
        )
    )

    view.gauge = charts.gauge(
        f["participation"],
        target=target,
        title=_("Participation: %(value)s %%") % {"value": f["participation"]},
        caption=target_caption,
    )
    team_rows = [
        charts.Bar(row["name"] or _("No team"), None if row["hidden"] else row["participation"])
        for row in f["teams"]
    ]
    if team_rows:
        view.team_chart = charts.bars(
            team_rows,
            title=_("Participation by team"),
            target=target,
            target_caption=target_caption,
        )
    daily = f.get("daily", [])
    if daily and f["participants"]:
        view.daily_chart = charts.columns(
            [
                (
                    formats.date_format(date.fromisoformat(d["day"]), "D j"),
                    d["new"],
                    d["cumulative"],
                )
                for d in daily
            ],
            title=_("People who started a path, day by day"),
            new_caption=_("started that day"),
            total_caption=_("started since the first day"),
        )
    if reaction["responses"] and not f.get("reaction_hidden"):
        view.reaction_chart = charts.bars(
            [
                charts.Bar(str(ITEM_SHORT.get(i["name"], i["name"])), i["favourable"])
                for i in reaction["items"]
            ],
            title=_("Reaction: share of favourable answers"),
        )
        labels = {item.name: dict(item.choices) for item in ITEMS}
        questions = {item.name: item.question for item in ITEMS}
        view.reaction_rows = [
            {
                "question": questions.get(i["name"], i["name"]),
                "choices": [
                    {
                        "label": labels.get(i["name"], {}).get(c["code"], c["code"]),
                        "share": c["share"],
                    }
                    for c in i["choices"]
                ],
            }
            for i in reaction["items"]
        ]
    return view
