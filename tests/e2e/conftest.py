"""E2E fixtures: the app on a live server, Chromium through Playwright, axe on every page.

Reuse in a new test module:

    from tests.e2e.ui import submit

    def test_something(page_as, live_server):
        page = page_as("projectleider@pia.test")       # logged in, on the dashboard
        submit(page.get_by_role("link", name="..."))   # click and wait for the next page
        with live_server.app_context():                 # the live server's database
            ...

Every page made by `page`, `new_page` or `page_as` is watched: at the end of the test
each document it received is checked with axe-core, and console errors, JavaScript errors,
HTTP 5xx and errors in the app's log make the test fail (see browser_checks.py).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from pia.demo import DEMO_PASSWORD
from tests.e2e.browser_checks import AXE_PATH, AxeChecker, PageChecks
from tests.e2e.live_server import LiveServer, start_live_server, stop_live_server
from tests.e2e.ui import log_in

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent
_LOG_START = pytest.StashKey[int]()  # where this test's part of the app's error log begins
_SUMMARY: list[str] = []


# The longest browser modules each get a group of their own, so they run side by side.
_E2E_GROUPS = {
    "test_questionnaire_journey": "e2e-questionnaires",
    "test_review_journey": "e2e-review",
    "test_review_pages": "e2e-review",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            # With pytest-xdist (`make test`), the browser tests of one group share a worker
            # (its own live server and browser); the other workers run the rest meanwhile.
            item.add_marker(pytest.mark.xdist_group(_E2E_GROUPS.get(item.path.stem, "e2e")))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: axe and the console checks, so that the test itself fails."""
    result = yield
    checks: PageChecks | None = getattr(item, "funcargs", {}).get("page_checks")
    if checks is not None:
        live: LiveServer = item.funcargs["live_server"]
        problems = checks.verify(live.error_log.records[item.stash[_LOG_START] :])
        item.user_properties.append(("axe_checked", [url for url, _, _ in checks.checked]))
        if problems:
            pytest.fail("\n\n".join(problems), pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter):
    for line in _SUMMARY:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> LiveServer:
    """The app on http://127.0.0.1:<free port>, demo seeded, one database for the session."""
    live = start_live_server(tmp_path_factory.mktemp("e2e"))
    yield live
    stop_live_server(live)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium from the system (never `playwright install`)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Chromium. Install it with "
            "`make test-deps` (scripts/install-test-deps.sh) or `apt-get install chromium`.",
            pytrace=False,
        )
    browser = _playwright().chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        yield browser
    finally:
        browser.close()


_PLAYWRIGHT: list = []  # one Playwright per process: the sync API cannot run two at once


def _playwright():
    if not _PLAYWRIGHT:
        _PLAYWRIGHT.append(sync_playwright().start())
    return _PLAYWRIGHT[0]


def pytest_sessionfinish(session):
    while _PLAYWRIGHT:
        _PLAYWRIGHT.pop().stop()


@contextmanager
def axe_for(browser: Browser) -> Iterator[AxeChecker]:
    """An axe-core checker in `browser`; its count goes into the run's summary."""
    if not AXE_PATH.exists():
        pytest.fail(
            f"{AXE_PATH} is missing: install axe-core with `npm ci` (or `make test-deps`).",
            pytrace=False,
        )
    checker = AxeChecker(browser, AXE_PATH.read_text(encoding="utf-8"))
    try:
        yield checker
    finally:
        checked = checker.checked
        _SUMMARY.append(
            f"e2e: axe-core {checker.version} checked {len(checked)} pages "
            f"({len(set(checked))} distinct URLs; {checker.cache_hits} repeated markup, "
            "from cache)."
        )
        checker.close()


@pytest.fixture(scope="session")
def browser(live_server) -> Browser:
    # Depends on live_server only so that the browser closes before the server stops.
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def axe_checker(browser) -> AxeChecker:
    with axe_for(browser) as checker:
        yield checker


@pytest.fixture
def page_checks(request, axe_checker, live_server) -> PageChecks:
    """This test's checks; `page_checks.allow_console_error(regex)` for a provoked 4xx."""
    request.node.stash[_LOG_START] = len(live_server.error_log.records)
    return PageChecks(axe_checker)


@pytest.fixture
def new_page(browser, live_server, page_checks) -> Callable[..., Page]:
    """new_page(**context_options): a page in a fresh context (own cookies), base_url set."""
    contexts = []

    def _new_page(**options) -> Page:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        javascript = options.get("java_script_enabled", True)
        # Pages the app opens itself (target=_blank) are watched too.
        context.on("page", lambda page: page_checks.watch(page, javascript))
        page = context.new_page()
        page_checks.watch(page, javascript)
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def login_as() -> Callable[..., None]:
    """login_as(page, email, password=DEMO_PASSWORD): log in and land on the dashboard.

    For an account that must change its password first, use tests.e2e.ui.log_in instead.
    """

    def _login_as(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
        log_in(page, email, password)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")

    return _login_as


@pytest.fixture
def page_as(new_page, login_as) -> Callable[..., Page]:
    """page_as(email, password=DEMO_PASSWORD, **context_options): a logged-in page."""

    def _page_as(email: str, password: str = DEMO_PASSWORD, **options) -> Page:
        page = new_page(**options)
        login_as(page, email, password)
        return page

    return _page_as
