"""Agent identity: the one string an Agent or identified Group is known by (its IFI)."""

from __future__ import annotations


def agent_key(a) -> str | None:
    if not isinstance(a, dict):
        return None
    if "mbox" in a:
        return "mbox:" + str(a["mbox"]).lower()
    if "mbox_sha1sum" in a:
        return "sha1:" + str(a["mbox_sha1sum"]).lower()
    if "openid" in a:
        return "openid:" + str(a["openid"])
    acct = a.get("account")
    if isinstance(acct, dict):
        return f"account:{acct.get('homePage')}|{acct.get('name')}"
    return None


def parse_agent_param(text: str) -> dict:
    """The `agent` query parameter: JSON of an Agent or identified Group."""
    from suotdoi.core.jsonio import parse_json

    from .validation import Invalid, agent

    try:
        value = parse_json(text)
    except (ValueError, TypeError):
        raise Invalid("agent: is not JSON") from None
    agent(value, "agent")
    if agent_key(value) is None:
        raise Invalid("agent: must carry an identifier")
    return value


def agents_in(statement: dict) -> tuple[set[str], set[str]]:
    """(actor/object agents, every agent anywhere) of a statement, as keys."""
    direct: set[str] = set()
    related: set[str] = set()

    def add(a, target):
        if not isinstance(a, dict):
            return
        k = agent_key(a)
        if k:
            target.add(k)
        for m in a.get("member") or []:
            mk = agent_key(m)
            if mk:
                related.add(mk)

    def walk(s, top: bool):
        add(s.get("actor"), direct if top else related)
        obj = s.get("object") or {}
        if obj.get("objectType") in ("Agent", "Group"):
            add(obj, direct if top else related)
        ctx = s.get("context") or {}
        add(ctx.get("instructor"), related)
        add(ctx.get("team"), related)
        for ca in ctx.get("contextAgents") or []:
            add(ca.get("agent"), related)
        for cg in ctx.get("contextGroups") or []:
            add(cg.get("group"), related)
        if top:
            add(s.get("authority"), related)
        if obj.get("objectType") == "SubStatement":
            walk(obj, False)

    walk(statement, True)
    return direct, related | direct


def activities_in(statement: dict) -> tuple[set[str], set[str]]:
    direct: set[str] = set()
    related: set[str] = set()

    def walk(s, top: bool):
        obj = s.get("object") or {}
        if obj.get("objectType", "Activity") == "Activity" and obj.get("id"):
            (direct if top else related).add(obj["id"])
        for acts in ((s.get("context") or {}).get("contextActivities") or {}).values():
            for a in acts if isinstance(acts, list) else [acts]:
                if isinstance(a, dict) and a.get("id"):
                    related.add(a["id"])
        if obj.get("objectType") == "SubStatement":
            walk(obj, False)

    walk(statement, True)
    return direct, related | direct
