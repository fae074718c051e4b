"""The figures of an evaluation dashboard: code, label, Kirkpatrick level, LTEM tier, unit.

Every figure says its level (the labels below appear next to each value, on the web page,
in the PDF and in the CSV/XLSX exports).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    code: str
    label: Promise
    level: Promise  # "Kirkpatrick level 3 — transfer"
    ltem: str
    unit: str  # "%", "/5", "people", "statements", "pts", "" (indicator)
    section: str


REACH = _("Reach and activity — no proof of learning")
K1 = _("Kirkpatrick level 1 — reaction")
K2 = _("Kirkpatrick level 2 — learning")
K3 = _("Kirkpatrick level 3 — transfer")
K3D = _("Kirkpatrick level 3 — required drivers")
K4 = _("Kirkpatrick level 4 — results (leading indicators)")

METRICS: tuple[Metric, ...] = (
    Metric("enrolled", _("People who started"), REACH, "LTEM 1", "people", "reach"),
    Metric("completion_rate", _("Finished the path"), REACH, "LTEM 2", "%", "reach"),
    Metric(
        "active_30d",
        _("Active in the last 30 days (xAPI statements)"),
        REACH,
        "LTEM 2",
        "%",
        "reach",
    ),
    Metric(
        "statements_per_learner",
        _("Statements per learner"),
        REACH,
        "LTEM 2",
        "statements",
        "reach",
    ),
    Metric("l1_relevance", _("Will use it within weeks"), K1, "LTEM 3", "%", "reaction"),
    Metric("l1_planned", _("Decided when and where to apply it"), K1, "LTEM 3", "%", "reaction"),
    Metric("l2_score", _("Mean quiz score"), K2, "LTEM 4", "%", "learning"),
    Metric(
        "plans_complete",
        _("Action plans with day, time, place and task"),
        K2,
        "LTEM 4 (commitment)",
        "%",
        "learning",
    ),
    Metric("checkin_response", _("Check-ins answered"), K3, "LTEM 7", "%", "transfer"),
    Metric("checkin_done_7", _("Done at the 7-day check-in"), K3, "LTEM 7", "%", "transfer"),
    Metric("checkin_done_30", _("Done at the 30-day check-in"), K3, "LTEM 7", "%", "transfer"),
    Metric(
        "l3_weekly",
        _("Apply it weekly or more (30-day self-report)"),
        K3,
        "LTEM 7",
        "%",
        "transfer",
    ),
    Metric("habits", _("Plans that became a habit"), K3, "LTEM 7", "people", "transfer"),
    Metric(
        "bars_before", _("Manager rating before the path (BARS)"), K3, "LTEM 7", "/5", "transfer"
    ),
    Metric("bars_after", _("Manager rating after the path (BARS)"), K3, "LTEM 7", "/5", "transfer"),
    Metric(
        "self_manager_gap", _("Self-rating minus manager rating"), K3, "LTEM 7", "pts", "transfer"
    ),
    Metric(
        "conversations_pre_post",
        _("Manager conversation before and after"),
        K3D,
        "—",
        "%",
        "drivers",
    ),
    Metric(
        "observation_coverage",
        _("Observed by their manager after the path"),
        K3D,
        "—",
        "%",
        "drivers",
    ),
    Metric(
        "success_cases",
        _("Success cases with a concrete result (90 days)"),
        K4,
        "LTEM 8",
        "%",
        "results",
    ),
)
BY_CODE = {m.code: m for m in METRICS}
# Where a scope counts something narrower than the generic label says, it says so.
SCOPE_LABELS: dict[tuple[str, str], Promise] = {
    ("programme", "enrolled"): _("Assigned people who started the programme"),
    ("programme", "completion_rate"): _("Finished the programme (every step)"),
    ("campaign", "enrolled"): _("People who started or finished a path during the campaign"),
    ("campaign", "completion_rate"): _("Finished a path of the campaign (to date)"),
    ("event", "enrolled"): _("People who started or finished a path during the event"),
    ("event", "completion_rate"): _("Finished a path of the event (to date)"),
}


def label_for(metric: Metric, kind: str) -> Promise:
    """The metric's label on a dashboard of this kind of scope."""
    return SCOPE_LABELS.get((kind, metric.code), metric.label)


SECTIONS = (
    ("reach", REACH),
    ("reaction", K1),
    ("learning", K2),
    ("transfer", K3),
    ("drivers", K3D),
    ("results", K4),
)
