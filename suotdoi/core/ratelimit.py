"""A fixed-window counter in the shared cache, for public checks that must not become lookups."""

from __future__ import annotations

from django.core.cache import cache


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fall in the window."""
    full = f"rl:{key}"
    cache.add(full, 0, window_seconds)
    try:
        n = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, window_seconds)
        n = 1
    return n <= limit
