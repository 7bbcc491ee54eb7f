"""Permission-checked fetches. Pages and endpoints reach unit data only through these.

Absent and forbidden look the same: both raise `NotFound` (HTTP 404), so a person from another
tree learns nothing, not even that a unit exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from suotdoi.core.errors import NotFound

from .models import MemberImport, Membership, Unit
from .policies import STAFF_ROLES, Capability, role_allows


@dataclass(frozen=True)
class Grant:
    path: str
    role: str
    unit_id: int
    # A machine token narrows what its owner's roles allow to these capabilities.
    only: frozenset | None = None

    def allows(self, capability: Capability) -> bool:
        return role_allows(self.role, capability) and (self.only is None or capability in self.only)


@dataclass(frozen=True)
class TokenScope:
    """What an API token may do: its owner's powers, inside one unit's subtree, for the named
    capabilities only. Set on the person object the token authenticates as."""

    path: str
    unit_id: int
    capabilities: frozenset


def token_scope(person) -> TokenScope | None:
    return getattr(person, "_suotdoi_token_scope", None)


def grants_for(person) -> list[Grant]:
    """The actor's staff roles, each covering the subtree under `path`. Cached per request.
    Under an API token, each is cut down to the token's subtree and capabilities."""
    if person is None or not person.is_authenticated:
        return []
    cached = getattr(person, "_suotdoi_grants", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    rows = (
        Membership.objects.filter(person=person, role__in=STAFF_ROLES)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .values_list("unit_path", "role", "unit_id")
    )
    grants = [Grant(path=p, role=r, unit_id=u) for p, r, u in rows]
    scope = token_scope(person)
    if scope is not None:
        grants = [
            Grant(
                path=max(g.path, scope.path, key=len),
                role=g.role,
                unit_id=g.unit_id,
                only=scope.capabilities,
            )
            for g in grants
            if g.path.startswith(scope.path) or scope.path.startswith(g.path)
        ]
    person._suotdoi_grants = grants
    return grants


def forget_grants(person) -> None:
    if hasattr(person, "_suotdoi_grants"):
        del person._suotdoi_grants


def can(person, unit: Unit, capability: Capability) -> bool:
    if person is None or not person.is_authenticated:
        return False
    if person.is_superuser and token_scope(person) is None:
        return True
    return any(unit.path.startswith(g.path) and g.allows(capability) for g in grants_for(person))


def scope_q(person, capability: Capability, field: str = "path") -> Q | None:
    """A filter selecting the units (by path prefix) where `person` has `capability`.

    None means everything (platform superuser); an empty Q that matches nothing is returned
    as Q(pk__in=[]).
    """
    if person.is_superuser and token_scope(person) is None:
        return None
    paths = sorted({g.path for g in grants_for(person) if g.allows(capability)})
    # Drop paths already covered by an ancestor path.
    roots: list[str] = []
    for p in paths:
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    if not roots:
        return Q(pk__in=[])
    q = Q()
    for r in roots:
        q |= Q(**{f"{field}__startswith": r})
    return q


def access_unit_by_id(person, unit_id, capability: Capability = Capability.VIEW) -> Unit:
    try:
        unit = Unit.objects.select_related("unit_type").get(pk=int(unit_id))
    except (Unit.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not can(person, unit, capability):
        raise NotFound()
    return unit


def access_unit_by_code(
    person, tree_key: str, code: str, capability: Capability = Capability.VIEW
) -> Unit:
    unit = Unit.objects.filter(tree_key=tree_key, code=code.strip().upper()).first()
    if unit is None or not can(person, unit, capability):
        raise NotFound()
    return unit


def access_membership_by_id(
    person, membership_id, capability: Capability = Capability.MANAGE_MEMBERS
) -> Membership:
    try:
        membership = Membership.objects.select_related("unit", "person").get(pk=int(membership_id))
    except (Membership.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not can(person, membership.unit, capability):
        raise NotFound()
    return membership


def access_import_by_id(person, import_id) -> MemberImport:
    try:
        imp = MemberImport.objects.select_related("unit").get(pk=int(import_id))
    except (MemberImport.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not can(person, imp.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    return imp


def access_own_invitation(person, invitation_id):
    """An invitation addressed to `person` (404 for anybody else's)."""
    from .models import MembershipInvitation

    try:
        inv = MembershipInvitation.objects.select_related("unit").get(pk=int(invitation_id))
    except (MembershipInvitation.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if person is None or not person.is_authenticated or inv.person_id != person.pk:
        raise NotFound()
    return inv


def access_unit_invitation(person, invitation_id):
    """An invitation sent by a unit `person` manages members of (to withdraw it)."""
    from .models import MembershipInvitation

    try:
        inv = MembershipInvitation.objects.select_related("unit").get(pk=int(invitation_id))
    except (MembershipInvitation.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not can(person, inv.unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    return inv
