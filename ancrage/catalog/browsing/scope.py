"""Which paths a person may browse and search: the one place the catalogue asks licensing.

`licensed_paths(membership)` answers with the licensing app's own coverage rules
(`ancrage.licensing.entitlements.coverage_for`): an effective *intégrale* licence opens every
published path, including paths published after the licence started; effective *à la carte*
licences open their listed paths only; draft, suspended, expired or not-yet-started licences
open nothing. Publisher staff browse the whole catalogue (`CatalogueScope.everything()`).

Browsing is not starting: a seat is taken, and the retired/enrolment rules apply, when the
person opens the path in the player (`check_entitlement`), not here.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from ancrage.licensing.entitlements import coverage_for
from ancrage.tenancy.models import Membership, MembershipStatus


@dataclass(frozen=True)
class CatalogueScope:
    whole_catalogue: bool
    path_ids: frozenset[uuid.UUID]

    @classmethod
    def everything(cls) -> "CatalogueScope":
        return cls(whole_catalogue=True, path_ids=frozenset())

    @classmethod
    def nothing(cls) -> "CatalogueScope":
        return cls(whole_catalogue=False, path_ids=frozenset())

    def covers(self, path_id: uuid.UUID) -> bool:
        return self.whole_catalogue or path_id in self.path_ids

    def apply[M: Model](self, rows: "QuerySet[M]", path_field: str = "path_id") -> "QuerySet[M]":
        """Keep the rows whose path (reached through `path_field`) is in scope."""
        if self.whole_catalogue:
            return rows
        return rows.filter(**{f"{path_field}__in": self.path_ids})


def licensed_paths(membership: Membership) -> CatalogueScope:
    """The paths the member's organisation's licences cover today."""
    if membership.status == MembershipStatus.DEACTIVATED:
        return CatalogueScope.nothing()
    coverage = coverage_for(membership.organisation_id)
    return CatalogueScope(whole_catalogue=coverage.whole_catalogue, path_ids=coverage.path_ids)
