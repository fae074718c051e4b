"""THE answer to "may this person open this path version now?" — `check_entitlement`.

Every entry point that shows path content asks it, and nothing else decides: the web player,
exports, LTI launches, Teams tabs and the API. `ancrage.player.actions.start_path` calls it
for every start and every return to a path.

Rules, in the order they are checked (the first that fails is the reason given):

1. the person's membership is not deactivated (`membership_inactive`);
2. the version is published, or retired (`version_not_published` for drafts and reviews);
3. the organisation has a licence (other than a draft) (`no_licence`) whose offer covers the
   path: the intégrale covers every path of the catalogue, including paths published after
   the licence started; à la carte covers its listed paths only (`not_in_offer`);
4. one covering licence is effective now — active and today within its period — otherwise
   `licence_suspended`, `licence_expired` or `licence_not_started`; when several licences
   apply, any effective one suffices;
5. a retired version can be opened only by someone already enrolled on it: retired means "no
   new starts" (`version_retired_for_new_starts`);
6. the person holds a seat on an effective covering licence, or one of them has a seat left
   (then opening takes one: `needs_seat`); otherwise `no_seat_left`.

It only reads (at most five queries). Taking the seat is a write:
`ancrage.licensing.actions.take_seat`.

`SEATED_SQL` is the same rules for the common case, in SQL, for the player's card endpoint
(read on every move, one statement per card): a sufficient condition, never a refusal.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from django.db.models import Count, Q
from django.utils import timezone

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.licensing.models import (
    Licence,
    LicenceItem,
    LicenceStatus,
    OfferKind,
    Seat,
)
from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Membership, MembershipStatus


class Refusal(StrEnum):
    MEMBERSHIP_INACTIVE = "membership_inactive"
    VERSION_NOT_PUBLISHED = "version_not_published"
    NO_LICENCE = "no_licence"
    NOT_IN_OFFER = "not_in_offer"
    LICENCE_NOT_STARTED = "licence_not_started"
    LICENCE_SUSPENDED = "licence_suspended"
    LICENCE_EXPIRED = "licence_expired"
    VERSION_RETIRED_FOR_NEW_STARTS = "version_retired_for_new_starts"
    NO_SEAT_LEFT = "no_seat_left"
    # Not a licence matter: the organisation keeps starts to assignments (start_path only).
    SELF_ENROLMENT_CLOSED = "self_enrolment_closed"


@dataclass(frozen=True)
class Entitlement:
    """The answer: `allowed`, or the `reason` why not.

    `licence` is the licence that grants access (or, for a licence refusal, the one the
    person should be told about). `needs_seat`: allowed, and opening takes a seat on
    `licence`. `continuing`: the person is already enrolled on this very version.
    """

    allowed: bool
    reason: Refusal | None = None
    licence: Licence | None = None
    needs_seat: bool = False
    continuing: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def refused(cls, reason: Refusal, licence: Licence | None = None) -> "Entitlement":
        return cls(allowed=False, reason=reason, licence=licence)


class EntitlementRefused(Exception):
    """Raised by writes (start_path) when the entitlement says no; carries the answer."""

    def __init__(self, entitlement: Entitlement) -> None:
        assert entitlement.reason is not None
        super().__init__(entitlement.reason.value)
        self.entitlement = entitlement
        self.reason: Refusal = entitlement.reason
        self.licence = entitlement.licence


def day_of(when: datetime | date | None) -> date:
    if when is None:
        return timezone.localdate()
    if isinstance(when, datetime):
        return timezone.localdate(when)
    return when


@dataclass(frozen=True)
class Coverage:
    """Which paths an organisation's licences cover, and which of them grant access on `day`.

    Built in two queries (`coverage_for`); lists (the catalogue, the learner home) ask it
    for many paths at once, and `check_entitlement` uses it for one.
    """

    day: date
    licences: tuple[Licence, ...]
    items: dict[uuid.UUID, frozenset[uuid.UUID]] = field(default_factory=dict)

    def covering(self, path_id: uuid.UUID) -> list[Licence]:
        return [
            licence
            for licence in self.licences
            if licence.offer.kind == OfferKind.INTEGRALE
            or path_id in self.items.get(licence.pk, frozenset())
        ]

    def effective(self) -> list[Licence]:
        return [licence for licence in self.licences if licence.is_effective(self.day)]

    @property
    def whole_catalogue(self) -> bool:
        """An effective intégrale: every path with a published version is licensed."""
        return any(lic.offer.kind == OfferKind.INTEGRALE for lic in self.effective())

    @property
    def path_ids(self) -> frozenset[uuid.UUID]:
        """Paths listed by effective à la carte licences (see also `whole_catalogue`)."""
        ids: set[uuid.UUID] = set()
        for licence in self.effective():
            ids |= self.items.get(licence.pk, frozenset())
        return frozenset(ids)

    def grants(self, path_id: uuid.UUID) -> bool:
        return self.whole_catalogue or path_id in self.path_ids

    def licence_refusal(self, path_id: uuid.UUID) -> tuple[Refusal | None, Licence | None]:
        """Rules 3 and 4 for one path: (None, effective licence) or (reason, licence)."""
        if not self.licences:
            return Refusal.NO_LICENCE, None
        covering = self.covering(path_id)
        if not covering:
            return Refusal.NOT_IN_OFFER, None
        for licence in covering:
            if licence.is_effective(self.day):
                return None, licence
        return self._why_not_effective(covering)

    def overall_refusal(self) -> Refusal | None:
        """Why no path at all is open now (None when some licence is effective)."""
        if not self.licences:
            return Refusal.NO_LICENCE
        if self.effective():
            return None
        return self._why_not_effective(list(self.licences))[0]

    def _why_not_effective(self, licences: list[Licence]) -> tuple[Refusal, Licence]:
        states = {licence.state_on(self.day): licence for licence in reversed(licences)}
        if LicenceStatus.SUSPENDED in states:
            return Refusal.LICENCE_SUSPENDED, states[LicenceStatus.SUSPENDED]
        if LicenceStatus.EXPIRED in states:
            return Refusal.LICENCE_EXPIRED, states[LicenceStatus.EXPIRED]
        return Refusal.LICENCE_NOT_STARTED, licences[0]


def coverage_for(organisation_id: uuid.UUID, when: datetime | date | None = None) -> Coverage:
    """The organisation's licences (drafts excluded) and their listed paths: two queries."""
    licences = tuple(
        Licence.objects.filter(organisation_id=organisation_id)
        .exclude(status=LicenceStatus.DRAFT)
        .select_related("offer")
        .order_by("-ends_on", "created_at")
    )
    items: dict[uuid.UUID, set[uuid.UUID]] = {}
    alc = [lic.pk for lic in licences if lic.offer.kind == OfferKind.A_LA_CARTE]
    if alc:
        for licence_id, path_id in LicenceItem.objects.filter(licence_id__in=alc).values_list(
            "licence_id", "path_id"
        ):
            items.setdefault(licence_id, set()).add(path_id)
    return Coverage(
        day=day_of(when),
        licences=licences,
        items={key: frozenset(value) for key, value in items.items()},
    )


def check_entitlement(
    *,
    membership: Membership,
    path_version: PathVersion,
    when: datetime | date | None = None,
    coverage: Coverage | None = None,
) -> Entitlement:
    """May `membership` open `path_version` now (or at `when`)? See the module docstring."""
    day = day_of(when)
    if membership.status == MembershipStatus.DEACTIVATED:
        return Entitlement.refused(Refusal.MEMBERSHIP_INACTIVE)
    if path_version.status not in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
        return Entitlement.refused(Refusal.VERSION_NOT_PUBLISHED)

    if coverage is None or coverage.day != day:
        coverage = coverage_for(membership.organisation_id, day)
    reason, licence = coverage.licence_refusal(path_version.path_id)
    if reason is not None:
        return Entitlement.refused(reason, licence)

    continuing = Enrolment.objects.filter(
        membership=membership, path_id=path_version.path_id, path_version=path_version
    ).exists()
    if path_version.status == VersionStatus.RETIRED and not continuing:
        return Entitlement.refused(Refusal.VERSION_RETIRED_FOR_NEW_STARTS)

    effective = [lic for lic in coverage.covering(path_version.path_id) if lic.is_effective(day)]
    held = set(
        Seat.objects.held()
        .filter(membership=membership, licence__in=effective)
        .values_list("licence_id", flat=True)
    )
    for licence in effective:
        if licence.pk in held:
            return Entitlement(allowed=True, licence=licence, continuing=continuing)
    used = Counter(
        dict(
            Seat.objects.filter(licence__in=effective)
            .values("licence_id")
            .annotate(n=Count("pk", filter=Q(released_at__isnull=True)))
            .values_list("licence_id", "n")
        )
    )
    for licence in effective:
        if used[licence.pk] < licence.seats:
            return Entitlement(
                allowed=True, licence=licence, needs_seat=True, continuing=continuing
            )
    return Entitlement.refused(Refusal.NO_SEAT_LEFT, effective[0])


# `check_entitlement` says yes whenever this is true, for the enrolment `e` of membership `m`
# on version `v` (aliases of player_enrolment, tenancy_membership, catalog_pathversion):
# rule 1, the membership is not deactivated; rule 2, the version is published or retired;
# rules 3, 4 and 6, the person holds a seat on a licence of their organisation that is
# effective on %(today)s and covers the path; rule 5, they are enrolled on this very version.
# False proves nothing: ask `check_entitlement` for the answer and its reason. No cache, so a
# suspended, expired or released licence or seat counts from the next request.
SEATED_SQL = """(m.status <> 'deactivated' AND v.status IN ('published', 'retired') AND EXISTS (
  SELECT 1 FROM licensing_seat st
  JOIN licensing_licence l ON l.id = st.licence_id
  JOIN licensing_offer o ON o.id = l.offer_id
  WHERE st.membership_id = m.id AND st.released_at IS NULL
    AND l.organisation_id = m.organisation_id AND l.status = 'active'
    AND l.starts_on <= %(today)s AND l.ends_on >= %(today)s
    AND (o.kind = 'integrale' OR EXISTS (
      SELECT 1 FROM licensing_licenceitem i WHERE i.licence_id = l.id AND i.path_id = e.path_id
    ))
))"""
