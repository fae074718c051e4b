"""Who sees what (DOMAIN.md §5), as shown on the privacy page.

The rows restate the rules the code enforces: `MIN_GROUP` is the small-group threshold of
every report (a test keeps it equal to `ancrage.evaluation.privacy.MIN_GROUP`), the manager's
access is `transfer.queries.access_report` (their direct reports only) and plans reach a
manager only when the learner ticks `ActionPlan.manager_visible`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ancrage.privacy.registry import KIND_LABELS, Kind

MIN_GROUP = 5


@dataclass(frozen=True)
class Visibility:
    kind: Kind
    learner: Promise
    manager: Promise
    ld_lead: Promise
    org_admin: Promise

    @property
    def label(self) -> Promise:
        return KIND_LABELS[self.kind]


_NEVER = _("Never")
_AGGREGATES = _("Only figures about groups of at least 5 people")

VISIBILITY: tuple[Visibility, ...] = (
    Visibility(
        Kind.PROFILE,
        _("Yes"),
        _("Name, team and role of their direct reports"),
        _("Name, e-mail, team, role and manager of everyone"),
        _("Name, e-mail, team, role and manager of everyone"),
    ),
    Visibility(Kind.JOURNAL, _("Yes: yours alone"), _NEVER, _AGGREGATES, _NEVER),
    Visibility(
        Kind.PLANS,
        _("Yes"),
        _("Only the plans you choose to share, and their check-ins"),
        _AGGREGATES,
        _NEVER,
    ),
    Visibility(
        Kind.OBSERVATIONS,
        _("Always: every observation about you"),
        _("The observations they recorded about their direct reports"),
        _AGGREGATES,
        _NEVER,
    ),
    Visibility(
        Kind.CONVERSATIONS,
        _("Yes, notes included"),
        _("The conversations they held with their direct reports"),
        _AGGREGATES,
        _NEVER,
    ),
    Visibility(Kind.SURVEYS, _("Yes"), _NEVER, _AGGREGATES, _NEVER),
    Visibility(
        Kind.PROGRESS,
        _("Yes"),
        _("Paths started and completed by their direct reports"),
        _("Paths started and completed; dashboards show groups of at least 5 people"),
        _NEVER,
    ),
    Visibility(Kind.STATEMENTS, _("Yes (data download)"), _NEVER, _AGGREGATES, _NEVER),
    Visibility(
        Kind.SECURITY,
        _("Your own data downloads"),
        _NEVER,
        _NEVER,
        _(
            "The audit log: sign-ins, refused access, changes, exports, erasures, views of "
            "individual results"
        ),
    ),
)
