"""The main navigation: one table of links, grouped in a few sections, filtered by role.

Adding a page to the navigation is one `Link` row below. A section with one visible link is
shown as that link; a section with several is a disclosure menu (`<details>`, no script).
Who sees a link is said by its audiences: "member" (anyone of a client organisation),
"manager", "ld" (L&D leads and organisation admins), "admin" (organisation admins only),
"publisher" (publisher staff outside any organisation). Sections in FLAT_SECTIONS always show
their links side by side: a learner's daily places are one tap away.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ancrage.tenancy.models import Role


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise
    section: str
    audiences: frozenset[str]
    # Other url names under this entry, so it is marked current on their pages too.
    also: frozenset[str] = frozenset()


def _for(*audiences: str) -> frozenset[str]:
    return frozenset(audiences)


SECTIONS: dict[str, Promise] = {
    "home": _("Home"),
    "learn": _("Learn"),
    "team": _("My team"),
    "people": _("Organisation"),
    "community": _("Community"),
    "deploy": _("Deploy"),
    "measure": _("Measure"),
    "publish": _("Publish"),
    "admin": _("Administration"),
    "me": _("Me"),
}
# Sections whose links always show side by side (a learner's daily places), never in a menu.
FLAT_SECTIONS = frozenset({"home", "learn", "team"})

# The catalogue's own pages (a path, its memo sheets) keep the « Catalogue » entry current.
_CATALOGUE_PAGES = frozenset(
    {"catalogue_path", "catalogue_path_memo_sheets", "catalogue_memo_sheet", "licensing_path"}
)

LINKS: tuple[Link, ...] = (
    Link("home", _("Home"), "home", _for("member", "publisher", "user")),
    # Learn: what every learner uses.
    Link("catalogue", _("Catalogue"), "learn", _for("member"), also=_CATALOGUE_PAGES),
    Link("transfer_plans", _("My action plans"), "learn", _for("member")),
    Link("transfer_journal", _("My journal"), "learn", _for("member")),
    Link("habits_home", _("My habits"), "learn", _for("member"), also=frozenset({"habits_recall"})),
    Link("transfer_my_observations", _("Observations about me"), "me", _for("member")),
    Link("notify_preferences", _("My notifications"), "me", _for("member")),
    Link("privacy_my_data", _("My data"), "me", _for("member")),
    Link("privacy", _("Privacy"), "me", _for("member")),
    # Organisation admins: trust.
    Link("audit_log", _("Audit log"), "admin", _for("admin")),
    Link("privacy_erasures", _("Data erasure"), "admin", _for("admin")),
    Link("microsoft365_settings", _("Microsoft 365"), "admin", _for("admin")),
    Link("sso_settings", _("Single sign-on"), "admin", _for("admin")),
    # Learning together: takeaways, recognitions, longer programmes.
    Link("engagement_sharing_feed", _("Shared takeaways"), "community", _for("member")),
    Link("engagement_my_recognitions", _("My recognitions"), "community", _for("member")),
    Link(
        "engagement_recognition_inbox",
        _("Recognitions to review"),
        "community",
        _for("manager", "ld"),
    ),
    Link("bridges_for_me", _("Go further"), "community", _for("member")),
    # A manager's two minutes.
    Link("transfer_team", _("My team"), "team", _for("manager")),
    # The L&D lead's organisation.
    Link("people", _("People"), "people", _for("ld", "manager")),
    Link("teams", _("Teams"), "people", _for("ld", "manager")),
    Link("invitations", _("Invitations"), "people", _for("ld")),
    Link("licensing_seat_requests", _("Seat requests"), "people", _for("ld")),
    Link("licensing_programmes", _("Programmes"), "deploy", _for("ld")),
    Link("licensing_assignments", _("Assignments"), "deploy", _for("ld")),
    Link("engagement_campaigns", _("Campaigns"), "deploy", _for("ld")),
    Link("engagement_events", _("Themed events"), "deploy", _for("ld")),
    Link("engagement_recognition_rules", _("What the organisation values"), "deploy", _for("ld")),
    Link("bridges_programmes", _("Foundation programmes"), "deploy", _for("ld")),
    Link("exports", _("Exports for your LMS"), "deploy", _for("ld")),
    Link("lti13_registrations", _("LMS connections (LTI 1.3)"), "deploy", _for("ld")),
    Link("notify_teams_channels", _("Teams channels"), "deploy", _for("ld")),
    Link("notify_outbox", _("Messages sent"), "deploy", _for("ld")),
    Link("habits_settings", _("Rituals: time zone and quiet hours"), "deploy", _for("ld")),
    Link("evaluation_index", _("Evaluation"), "measure", _for("ld")),
    Link("transfer_behaviours", _("Key behaviours"), "measure", _for("ld")),
    # The publisher.
    Link("studio", _("Studio"), "publish", _for("publisher")),
    Link("catalogue", _("Catalogue"), "publish", _for("publisher")),
    Link("licensing_licences", _("Licences"), "publish", _for("publisher")),
)


def audiences_of(request: HttpRequest) -> set[str]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return set()
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"publisher"} if user.is_publisher_staff else {"user"}
    found = {"member"}
    if membership.is_manager:
        found.add("manager")
    if membership.can_manage_people:
        found.add("ld")
    if membership.role == Role.ORG_ADMIN:
        found.add("admin")
    return found


@dataclass
class NavEntry:
    label: Promise
    url: str
    current: bool


@dataclass
class NavSection:
    key: str
    label: Promise
    entries: list[NavEntry] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(entry.current for entry in self.entries)

    @property
    def is_menu(self) -> bool:
        return len(self.entries) > 1 and self.key not in FLAT_SECTIONS


def navigation_for(request: HttpRequest) -> list[NavSection]:
    """The sections and links this person sees, the current page marked."""
    audiences = audiences_of(request)
    if not audiences:
        return []
    match = getattr(request, "resolver_match", None)
    here = match.url_name if match is not None else ""
    sections: dict[str, NavSection] = {}
    for link in LINKS:
        if not audiences & link.audiences:
            continue
        section = sections.setdefault(
            link.section, NavSection(key=link.section, label=SECTIONS[link.section])
        )
        current = here == link.url_name or here in link.also
        section.entries.append(NavEntry(link.label, reverse(link.url_name), current))
    order = list(SECTIONS)
    return sorted(sections.values(), key=lambda section: order.index(section.key))
