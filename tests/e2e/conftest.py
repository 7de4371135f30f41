"""Fixtures for the browser tests: the app on a free port, one Chromium per module, a fresh page per test.

Like Streamlit's own e2e tests: wait for the script to finish, never for a
fixed time; find things by test id or key; on failure keep a screenshot
(``tests/e2e/artifacts/<test>.png``, gitignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e import harness

ARTIFACTS = Path(__file__).parent / "artifacts"


def pytest_collection_modifyitems(config, items):
    if harness.CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {harness.CHROMIUM} (Debian: apt-get install chromium)"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="module")
def app_url():
    """The dashboard, started from the repository root; stopped (its whole process group) after the module."""
    with harness.AppServer("dashboard.py") as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught page errors of every page this test opened (network noise filtered)."""
    return []


@pytest.fixture
def new_page(browser, console_errors, request):
    """Open a page in a fresh browser context (own cookies, own Streamlit session)."""
    pages = []

    def open_page():
        context = browser.new_context(viewport=harness.VIEWPORT)
        context.set_default_timeout(30_000)
        page = context.new_page()
        harness.watch_console(page, console_errors)
        pages.append(page)
        return page

    yield open_page
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    if failed and pages:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        for i, page in enumerate(pages):
            suffix = "" if i == 0 else f"-{i + 1}"
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
            except Exception as err:  # a crashed page must not hide the test's own failure
                print(f"screenshot of page {i + 1} failed: {err}")
    for page in pages:
        page.context.close()


@pytest.fixture
def page(new_page, console_errors, request):
    """A fresh context and page; after a passing test, asserts its pages logged no console error."""
    page = new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.passed:
        assert not console_errors, "console errors:\n" + "\n".join(console_errors)
