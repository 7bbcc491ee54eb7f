"""The rules of credit, as plain functions over plain data (no database): whether a programme's
requirements add up, and how a person's recognised credits count toward it — each module up to
its credits, results no older than the programme allows, at most the yearly cap in any calendar
year, and at most the transfer cap from earlier learning (RPL) or other providers (TT 08/2021).
Credit-equivalents (hours ÷ 50) are not lines here: they never count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import TRANSFER_CAP_MAX_PCT, VQF_MIN_CREDITS, VqfLevel

ZERO = Decimal("0")


def num(d) -> str:
    """A number of credits as people write it here: 20, 2,5."""
    from django.template.defaultfilters import floatformat

    return floatformat(d, "-1")


@dataclass(frozen=True)
class ModuleRule:
    code: str
    credits: Decimal
    mandatory: bool = False


@dataclass(frozen=True)
class ProgrammeRule:
    min_credits: Decimal
    transfer_cap_pct: int
    modules: tuple[ModuleRule, ...]
    max_age_years: int | None = None
    yearly_cap: Decimal | None = None
    level: int = 1

    @property
    def transfer_cap(self) -> Decimal:
        return (self.min_credits * self.transfer_cap_pct / Decimal(100)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Line:
    """A recognised credit as the rules see it."""

    key: str
    credits: Decimal
    awarded_on: dt.date
    module: str | None  # the module of this programme it fills; None: none of them
    transfer: bool  # recognised from earlier learning, or granted by another provider
    revoked: bool = False
    expires_on: dt.date | None = None


@dataclass
class Counted:
    key: str
    counted: Decimal
    why_not: list[str] = field(default_factory=list)  # why (part of) it does not count


@dataclass
class Progress:
    total: Decimal
    by_module: dict[str, Decimal]
    transfer_used: Decimal
    by_year: dict[int, Decimal]
    lines: list[Counted]
    missing_mandatory: list[str]
    complete: bool

    def room(self, module: ModuleRule) -> Decimal:
        return module.credits - self.by_module.get(module.code, ZERO)


def programme_problems(rule: ProgrammeRule) -> list[str]:
    """Why a programme cannot be published (empty when its requirements add up)."""
    problems = []
    if rule.level not in VqfLevel.values:
        problems.append(_("Choose a level of the national qualifications framework."))
    elif rule.min_credits < VQF_MIN_CREDITS[rule.level]:
        problems.append(
            _("A programme of this level asks for at least %(n)s credits.")
            % {"n": VQF_MIN_CREDITS[rule.level]}
        )
    if not 0 <= rule.transfer_cap_pct <= TRANSFER_CAP_MAX_PCT:
        problems.append(
            _("At most %(pct)s%% of a programme may be recognised from earlier learning.")
            % {"pct": TRANSFER_CAP_MAX_PCT}
        )
    if not rule.modules:
        problems.append(_("Add the programme's modules."))
    codes = [m.code for m in rule.modules]
    if len(set(codes)) != len(codes):
        problems.append(_("Two modules have the same code."))
    total = sum((m.credits for m in rule.modules), ZERO)
    if rule.modules and total < rule.min_credits:
        problems.append(
            _("The modules add up to %(total)s credits, fewer than the %(need)s required.")
            % {"total": num(total), "need": num(rule.min_credits)}
        )
    mandatory = sum((m.credits for m in rule.modules if m.mandatory), ZERO)
    if mandatory > rule.min_credits:
        problems.append(
            _("The mandatory modules alone (%(m)s credits) are more than the %(need)s required.")
            % {"m": num(mandatory), "need": num(rule.min_credits)}
        )
    if any(m.credits <= 0 for m in rule.modules):
        problems.append(_("Every module carries some credit."))
    if rule.yearly_cap is not None and rule.yearly_cap <= 0:
        problems.append(_("A yearly limit is more than zero."))
    return problems


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def progress(rule: ProgrammeRule, lines: list[Line], today: dt.date) -> Progress:
    """Count `lines` toward the programme, oldest first (a programme's own credits before
    transfers on the same day), each as far as every rule allows."""
    modules = {m.code: m for m in rule.modules}
    oldest = _years_before(today, rule.max_age_years) if rule.max_age_years else None
    by_module: dict[str, Decimal] = {}
    by_year: dict[int, Decimal] = {}
    transfer_used = ZERO
    out = []
    for line in sorted(lines, key=lambda x: (x.awarded_on, x.transfer, x.key)):
        c = Counted(key=line.key, counted=ZERO)
        out.append(c)
        if line.revoked:
            c.why_not.append(_("revoked"))
            continue
        if line.expires_on is not None and line.expires_on < today:
            c.why_not.append(_("expired"))
            continue
        if oldest is not None and line.awarded_on < oldest:
            c.why_not.append(_("older than %(n)s years") % {"n": rule.max_age_years})
            continue
        module = modules.get(line.module or "")
        if module is None:
            c.why_not.append(_("not part of this programme"))
            continue
        amount = line.credits
        room = module.credits - by_module.get(module.code, ZERO)
        if amount > room:
            c.why_not.append(_("the module is full"))
            amount = max(room, ZERO)
        if rule.yearly_cap is not None:
            year_room = rule.yearly_cap - by_year.get(line.awarded_on.year, ZERO)
            if amount > year_room:
                c.why_not.append(_("the yearly limit is reached"))
                amount = max(year_room, ZERO)
        if line.transfer:
            t_room = rule.transfer_cap - transfer_used
            if amount > t_room:
                c.why_not.append(_("the limit on recognised earlier learning is reached"))
                amount = max(t_room, ZERO)
        if amount <= 0:
            continue
        c.counted = amount
        by_module[module.code] = by_module.get(module.code, ZERO) + amount
        by_year[line.awarded_on.year] = by_year.get(line.awarded_on.year, ZERO) + amount
        if line.transfer:
            transfer_used += amount
    total = sum(by_module.values(), ZERO)
    missing = [
        m.code for m in rule.modules if m.mandatory and by_module.get(m.code, ZERO) < m.credits
    ]
    return Progress(
        total=total,
        by_module=by_module,
        transfer_used=transfer_used,
        by_year=by_year,
        lines=out,
        missing_mandatory=missing,
        complete=total >= rule.min_credits and not missing,
    )


def rpl_claim_problems(rule: ProgrammeRule, current: Progress, claimed: list[str]) -> list[str]:
    """Why a request for these modules cannot be made: modules not in the programme, or more
    credit than the transfer cap still allows."""
    modules = {m.code: m for m in rule.modules}
    problems = []
    if not claimed:
        problems.append(_("Choose at least one module."))
    unknown = [c for c in claimed if c not in modules]
    if unknown:
        problems.append(
            _("These modules are not part of the programme: %(c)s.") % {"c": ", ".join(unknown)}
        )
    asked = sum((current.room(modules[c]) for c in claimed if c in modules), ZERO)
    left = rule.transfer_cap - current.transfer_used
    if asked > left:
        problems.append(
            _(
                "These modules carry %(asked)s credits still to earn, more than the %(left)s that "
                "can still be recognised from earlier learning (at most %(pct)s%% of %(total)s)."
            )
            % {
                "asked": num(asked),
                "left": num(left),
                "pct": rule.transfer_cap_pct,
                "total": num(rule.min_credits),
            }
        )
    full = [c for c in claimed if c in modules and current.room(modules[c]) <= 0]
    if full:
        problems.append(_("These modules are already complete: %(c)s.") % {"c": ", ".join(full)})
    return problems


def credit_equivalent(hours: Decimal) -> Decimal:
    """Hours of learning as credit-equivalents (shown apart; never recognised credit)."""
    from .models import HOURS_PER_CREDIT

    return (Decimal(hours) / HOURS_PER_CREDIT).quantize(Decimal("0.1"))
