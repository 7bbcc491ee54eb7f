from django.tasks import task


@task()
def grant_all_task(fund_id: int, actor_id: int, round_label: str) -> dict:
    """Credit every eligible member of a fund in the background; its progress is read by the
    fund's page (safe to run twice: each person once per round)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from .actions import grant_all
    from .models import Fund

    key = f"funding-grant:{fund_id}"

    def progress(done: int, total: int) -> None:
        cache.set(key, {"done": done, "total": total, "round": round_label}, 3600)

    fund = Fund.objects.select_related("unit").get(pk=fund_id)
    actor = get_user_model().objects.get(pk=actor_id)
    out = grant_all(actor=actor, fund=fund, round_label=round_label, progress=progress)
    cache.set(key, {**out, "done": out["eligible"], "total": out["eligible"], "finished": True,
                    "round": round_label}, 3600)  # fmt: skip
    return out
