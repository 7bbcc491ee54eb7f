from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "suotdoi.core"
    label = "core"

    def ready(self) -> None:
        from django.core import checks

        checks.register(_sms_gateway_configured, checks.Tags.security, deploy=True)
        checks.register(_shared_cache_configured, checks.Tags.caches, deploy=True)


def _sms_gateway_configured(app_configs, **kwargs):
    """In production, codes must be able to leave: the gateway is set, or another backend."""
    from django.conf import settings
    from django.core.checks import Error

    backend = getattr(settings, "SMS_BACKEND", "")
    if backend.endswith("HttpGatewayBackend") and not getattr(settings, "SMS_GATEWAY_URL", ""):
        return [
            Error(
                "SMS_GATEWAY_URL is not set: one-time codes by SMS cannot be sent.",
                hint="Set SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN (docs/operations.md).",
                id="suotdoi.E001",
            )
        ]
    if backend.endswith(("FileBackend", "MemoryBackend")):
        return [
            Error(
                f"SMS_BACKEND is {backend}: codes would never reach a phone.",
                id="suotdoi.E002",
            )
        ]
    return []


def _shared_cache_configured(app_configs, **kwargs):
    """In production, one-time codes, rate-limit counts and the replica pins live in the cache:
    it must be shared by every app process and keep what it is given (Redis). Django's file
    cache keeps 300 entries and drops a third at random beyond them; a memory cache is one
    process's own."""
    from django.conf import settings
    from django.core.checks import Warning

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("FileBasedCache", "LocMemCache", "DummyCache")):
        return [
            Warning(
                f"The cache is {backend.rsplit('.', 1)[-1]}: one-time codes and rate-limit "
                "counts would be dropped under load or not shared between app processes.",
                hint="Set REDIS_URL (docs/operations.md).",
                id="suotdoi.W001",
            )
        ]
    return []
