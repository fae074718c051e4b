"""The figures of a campaign's or themed event's report (bilan), computed from real rows.

Every figure says what it measures and at which evaluation level (LTEM tier, Kirkpatrick
level) — the template prints the label beside it. Nothing is invented: a figure whose
source does not exist or holds no data yet is reported as "not measured yet". Groups of
fewer than `MIN_GROUP` people are hidden ("< 5"), and so is the whole report when the
audience itself is that small.

Sources, all within the campaign's window (first day 00:00 to the day after the last day,
or now when the campaign is still running), for the audience's people on the campaign's
paths:

* participation and completions — `player.Enrolment` (started / completed in the window);
* minutes learned — modules completed in the window (`player.ModuleProgress`) times each
  module's estimated minutes (`catalog.Module.est_minutes`);
* reaction — `player.SurveyResponse` (Kirkpatrick 1 · LTEM 3);
* action plans — `transfer.ActionPlan` committed in the window (Kirkpatrick 2, commitment);
* shared takeaways — `engagement.SharedTakeaway`, quoted only when the learner allowed it;
* recognitions — `engagement.Recognition` validated in the window, counted per title;
* deployment — messages sent (`notify.OutboundMessage` tagged with the campaign).

The result is plain JSON (an EventReport snapshot), so a report renders the same later.
"""

import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ancrage.catalog.models import Module
from ancrage.engagement.models import (
    Campaign,
    CampaignMessage,
    MessageStatus,
    Recognition,
    RecognitionStatus,
    SharedTakeaway,
)
from ancrage.engagement.placeholders import fill
from ancrage.engagement.queries import audience_of, campaign_path_ids, path_titles
from ancrage.engagement.rendering import CampaignFacts, campaign_link, values_for
from ancrage.notify.queries import delivery_counts
from ancrage.player.models import Enrolment, EnrolmentStatus, ModuleProgress, SurveyResponse
from ancrage.player.survey import ITEMS
from ancrage.tenancy.models import Team
from ancrage.transfer.models import ActionPlan

MIN_GROUP = 5
NO_TEAM = ""
MAX_QUOTES = 6
FORMAT_VERSION = 1
PERSONAL_PLACEHOLDERS = {
    "fr": {"prenom": "[prénom]", "nom": "[nom]"},
    "en": {"prenom": "[first name]", "nom": "[name]"},
}


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _top_teams(
    organisation_id: uuid.UUID,
) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, str]]:
    """Each team's top-level ancestor, and the names of top-level teams."""
    rows = list(
        Team.objects.filter(organisation_id=organisation_id).values_list("id", "parent_id", "name")
    )
    parent = {pk: parent_id for pk, parent_id, _name in rows}
    names = {pk: name for pk, parent_id, name in rows if parent_id is None}
    top: dict[uuid.UUID, uuid.UUID] = {}
    for pk in parent:
        node, seen = pk, set()
        while parent.get(node) is not None and node not in seen:
            seen.add(node)
            node = parent[node]
        top[pk] = node
    return top, names


def _days(start: date, end: date) -> list[date]:
    days = []
    day = start
    while day <= end:
        days.append(day)
        day += timedelta(days=1)
    return days


def _report_values(facts: CampaignFacts, message: CampaignMessage) -> dict[str, str]:
    """Placeholder values for a subject quoted in the report: personal ones stay visible."""
    values = values_for(facts, message, None)
    personal = PERSONAL_PLACEHOLDERS.get(facts.campaign.language, PERSONAL_PLACEHOLDERS["en"])
    values.update(personal)
    return values


def build_figures(campaign: Campaign, *, now: datetime, final: bool = False) -> dict[str, Any]:
    start = _start_of(campaign.starts_on)
    end = min(_start_of(campaign.ends_on + timedelta(days=1)), max(now, start))
    in_window = Q(started_at__gte=start, started_at__lt=end)
    done_in_window = Q(completed_at__gte=start, completed_at__lt=end)

    audience = dict(audience_of(campaign).values_list("pk", "team_id"))
    size = len(audience)
    path_ids = campaign_path_ids(campaign)
    titles = path_titles(path_ids)
    event = campaign.event if campaign.is_event else None
    target = event.participation_target if event else None

    enrolments = list(
        Enrolment.objects.filter(
            organisation_id=campaign.organisation_id,
            path_id__in=path_ids,
            membership_id__in=audience_of(campaign).values("pk"),
        )
        .filter(in_window | done_in_window)
        .values(
            "pk",
            "membership_id",
            "path_id",
            "path_version_id",
            "status",
            "started_at",
            "completed_at",
        )
    )
    participants = {e["membership_id"] for e in enrolments}
    completed = [
        e
        for e in enrolments
        if e["status"] == EnrolmentStatus.COMPLETED
        and e["completed_at"] is not None
        and start <= e["completed_at"] < end
    ]
    finishers = {e["membership_id"] for e in completed}
    enrolment_ids = [e["pk"] for e in enrolments]

    # Minutes: modules completed in the window × their estimated minutes.
    version_of = {e["pk"]: e["path_version_id"] for e in enrolments}
    done_modules = list(
        ModuleProgress.objects.filter(
            enrolment_id__in=enrolment_ids,
            completed_at__gte=start,
            completed_at__lt=end,
            optional=False,
        ).values_list("enrolment_id", "module_slug")
    )
    module_minutes = {
        (version_id, slug): minutes
        for version_id, slug, minutes in Module.objects.filter(
            version_id__in=set(version_of.values())
        ).values_list("version_id", "slug", "est_minutes")
    }
    minutes = sum(module_minutes.get((version_of[e], slug), 0) for e, slug in done_modules)

    # Reaction (Kirkpatrick 1 · LTEM 3).
    responses: list[dict[str, str]] = [
        {"relevance": relevance, "intention": intention, "support": support}
        for relevance, intention, support in SurveyResponse.objects.filter(
            enrolment_id__in=enrolment_ids, created_at__gte=start, created_at__lt=end
        ).values_list("relevance", "intention", "support")
    ]
    reaction: dict[str, Any] = {"responses": len(responses), "items": []}
    for item in ITEMS:
        counts = Counter(r[item.name] for r in responses)
        reaction["items"].append(
            {
                "name": item.name,
                "choices": [
                    {
                        "code": code,
                        "count": counts.get(code, 0),
                        "share": pct(counts.get(code, 0), len(responses)),
                    }
                    for code in item.codes
                ],
                "favourable": pct(
                    sum(counts.get(code, 0) for code in item.codes[:2]), len(responses)
                ),
            }
        )

    # Action plans (Kirkpatrick 2: commitment).
    plans = list(
        ActionPlan.objects.filter(
            organisation_id=campaign.organisation_id,
            learner_id__in=audience_of(campaign).values("pk"),
            path_id__in=path_ids,
            committed_at__gte=start,
            committed_at__lt=end,
        ).values("learner_id", "planned_on", "planned_at", "place", "task")
    )
    planners = {p["learner_id"] for p in plans}
    complete_plans = sum(
        1 for p in plans if p["planned_on"] and p["planned_at"] and p["place"] and p["task"]
    )

    # Teams: top-level team of each person; challenge = finished a path and wrote a plan.
    top, team_names = _top_teams(campaign.organisation_id)
    groups: dict[uuid.UUID | str, list[uuid.UUID]] = defaultdict(list)
    for person, team_id in audience.items():
        groups[top.get(team_id, NO_TEAM) if team_id else NO_TEAM].append(person)
    teams = []
    for key, people in groups.items():
        members = set(people)
        n = len(members)
        row: dict[str, Any] = {
            "name": team_names.get(key, "") if isinstance(key, uuid.UUID) else "",
            "audience": n,
            "hidden": n < MIN_GROUP,
        }
        if n >= MIN_GROUP:
            row.update(
                participants=len(members & participants),
                participation=pct(len(members & participants), n),
                finished=len(members & finishers),
                challenge=pct(len(members & finishers & planners), n),
                reached_target=target is not None and pct(len(members & participants), n) >= target,
            )
        teams.append(row)
    teams.sort(key=lambda r: (r["hidden"], -r.get("participation", 0), r["name"]))
    ranked = [r for r in teams if not r["hidden"]]
    winner = max(ranked, key=lambda r: (r["challenge"], r["participation"]), default=None)
    if winner is not None and winner["challenge"] == 0:
        winner = None

    # Participation over time: people starting each day of the window.
    last_day = min(campaign.ends_on, timezone.localdate(end - timedelta(seconds=1)))
    first_start: dict[uuid.UUID, datetime] = {}
    for e in enrolments:
        moment = e["started_at"] if e["started_at"] >= start else e["completed_at"]
        if moment is None:
            continue
        if e["membership_id"] not in first_start or moment < first_start[e["membership_id"]]:
            first_start[e["membership_id"]] = moment
    per_day = Counter(timezone.localdate(moment) for moment in first_start.values())
    daily, running = [], 0
    for day in _days(campaign.starts_on, max(last_day, campaign.starts_on)):
        running += per_day.get(day, 0)
        daily.append({"day": day.isoformat(), "new": per_day.get(day, 0), "cumulative": running})

    # Shared takeaways: only those the learner allowed to quote, never with a name.
    takeaways = SharedTakeaway.objects.filter(
        campaign=campaign, created_at__gte=start, created_at__lt=end
    )
    quotes = list(
        takeaways.filter(quote_allowed=True)
        .order_by("-created_at")
        .values_list("text", flat=True)[:MAX_QUOTES]
    )
    sharers = takeaways.values("author_id").distinct().count()

    # Recognitions: teams that reached the target, people who finished two paths or more,
    # and the recognitions the organisation validated for the audience in the window.
    per_person = Counter(e["membership_id"] for e in completed)
    proactive = sum(1 for count in per_person.values() if count >= 2)
    validated = Counter(
        Recognition.objects.filter(
            organisation_id=campaign.organisation_id,
            learner_id__in=list(audience),
            status=RecognitionStatus.VALIDATED,
            decided_at__gte=start,
            decided_at__lt=end,
        ).values_list("title", flat=True)
    )

    deliveries = delivery_counts(campaign.organisation_id, campaign.source)
    facts = CampaignFacts(
        campaign=campaign,
        titles=titles,
        link=campaign_link(campaign),
        target=target,
    )
    messages = [
        {
            "kind": m.kind,
            "subject": fill(m.subject, _report_values(facts, m)),
            "sent_at": m.sent_at.isoformat() if m.sent_at else "",
            "recipients": m.recipient_count,
            "channels": m.channels,
        }
        for m in campaign.messages.filter(status=MessageStatus.SENT).order_by("sent_at")
    ]

    hidden = size < MIN_GROUP
    return {
        "format": FORMAT_VERSION,
        "kind": campaign.kind,
        "final": final,
        "hidden": hidden,
        "min_group": MIN_GROUP,
        "generated_at": now.isoformat(),
        "title": campaign.title,
        "organisation": campaign.organisation.name,
        "stake": campaign.strategic_stake,
        "description": campaign.description,
        "theme": event.theme if event else "",
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "window_end": end.isoformat(),
        "paths": [titles[pk] for pk in path_ids if titles.get(pk)],
        "target": target,
        "audience": size,
        "participants": len(participants),
        "participation": pct(len(participants), size),
        "reached_target": target is not None and pct(len(participants), size) >= target,
        "enrolments": len(enrolments),
        "completions": len(completed),
        "finishers": len(finishers),
        "completion_rate": pct(len(finishers), len(participants)),
        "minutes": minutes,
        "minutes_per_participant": round(minutes / len(participants)) if participants else 0,
        "reaction": reaction,
        "reaction_hidden": len(responses) < MIN_GROUP,
        "plans": {
            "count": len(plans),
            "people": len(planners),
            "complete_share": pct(complete_plans, len(plans)),
            "share_of_finishers": pct(len(planners & finishers), len(finishers)),
            "hidden": 0 < len(planners) < MIN_GROUP,
        },
        "teams": teams,
        "winner": winner["name"] if winner else None,
        "winner_challenge": winner["challenge"] if winner else None,
        "daily": daily,
        "takeaways": {"count": takeaways.count(), "people": sharers, "quotes": quotes},
        "recognitions": {
            "teams_on_target": [r["name"] for r in ranked if r.get("reached_target")],
            "proactive": proactive,
            "proactive_hidden": 0 < proactive < MIN_GROUP,
            "validated": sum(validated.values()),
            "validated_hidden": 0 < sum(validated.values()) < MIN_GROUP,
            "validated_by_title": sorted(
                ([title, n] for title, n in validated.items() if n >= MIN_GROUP),
                key=lambda row: (-row[1], row[0]),
            ),
        },
        "deliveries": deliveries,
        "messages": messages,
    }
