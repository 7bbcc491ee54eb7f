"""Playwright in Debian's Chromium against Django's live server. No browser is downloaded."""

import os
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15000)  # a loaded 2-core CI machine can be slow

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(width=360, height=780, locale="en-US"):
        ctx = browser.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            accept_downloads=True,
            base_url=live_server.url,
        )
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


def totp_now(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page, login, password, totp_secret=None, wait=True):
    page.goto("/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Đăng nhập").click()
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        # A code made at the very end of its 30-second step can reach the server in the next
        # one and be refused (the page comes back with its error): then once more, with the
        # new step's code, as a person would type the one the app now shows.
        for _attempt in range(2):
            page.fill("#id_code", totp_now(totp_secret))
            with page.expect_navigation():
                page.get_by_role("button", name="Đăng nhập").click()
            if "/accounts/2fa/authenticate/" not in page.url:
                break
    if wait:
        page.wait_for_url(lambda url: "/accounts/" not in url)


def until(condition, what: str, timeout: float = 30):
    """Wait for a condition the browser's requests make true (never for a fixed time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def wait_for_service_worker(page, timeout: float = 30000) -> None:
    """The app's service worker controls the page. It installs on the first page and claims
    the open pages when it activates; a page whose navigation began before that may be missed
    by the claim (Chromium, seen about one run in three of the full suite) and is controlled
    from its next load, as a person's next page would be — so: wait, and if the worker is
    active but the page still has none, load the page again. Bounded: a worker that cannot
    install fails the test with its state instead of holding the run."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    controlled = "() => navigator.serviceWorker.controller !== null"
    try:
        page.wait_for_function(controlled, timeout=timeout / 3)
        return
    except PlaywrightTimeout:
        pass
    state = _worker_state(page)
    if state.startswith("active"):
        page.reload()
        try:
            page.wait_for_function(controlled, timeout=timeout)
            return
        except PlaywrightTimeout:
            state = _worker_state(page)
    raise AssertionError(f"the service worker did not take the page: {state}")


def _worker_state(page) -> str:
    return page.evaluate(
        """async () => {
          const r = await navigator.serviceWorker.getRegistration();
          if (!r) return 'no registration';
          const w = r.installing || r.waiting || r.active;
          const kind = r.installing ? 'installing' : r.waiting ? 'waiting' : 'active';
          return kind + ' ' + (w ? w.state : '');
        }"""
    )
