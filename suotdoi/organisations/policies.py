"""Who may do what on a unit. A role held on a unit applies to its whole subtree."""

from __future__ import annotations

from enum import StrEnum

from .models import Role


class Capability(StrEnum):
    VIEW = "view"  # see the unit, its children and figures
    VIEW_MEMBERS = "view_members"  # see and export member lists
    MANAGE_MEMBERS = "manage_members"  # add, end, import memberships
    MANAGE_UNITS = "manage_units"  # create child units, edit, move, merge
    VIEW_AUDIT = "view_audit"
    EVALUATE = "evaluate"
    ISSUE_CREDENTIALS = "issue_credentials"  # issue, revoke, endorse, keys
    REPORT = "report"  # prepare and submit periodic reports, review those of the units below


POLICY: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.OFFICER: frozenset(
        {
            Capability.VIEW,
            Capability.VIEW_MEMBERS,
            Capability.MANAGE_MEMBERS,
            Capability.VIEW_AUDIT,
            Capability.ISSUE_CREDENTIALS,
            Capability.REPORT,
        }
    ),
    Role.EVALUATOR: frozenset({Capability.VIEW, Capability.VIEW_MEMBERS, Capability.EVALUATE}),
    Role.REPORTER: frozenset({Capability.VIEW, Capability.VIEW_MEMBERS, Capability.REPORT}),
    Role.MEMBER: frozenset(),
}

# Roles whose holders must protect their account with two-factor authentication.
ROLES_REQUIRING_MFA = frozenset({Role.ADMIN, Role.OFFICER, Role.EVALUATOR})
STAFF_ROLES = frozenset(r for r, caps in POLICY.items() if caps)


def role_allows(role: str, capability: Capability) -> bool:
    return capability in POLICY.get(role, frozenset())
