"""Browser tests against the whole local stack, started exactly as the README's `make run`.

One stack per test session (portal clock fixed at PORTAL_NOW), one Chromium per session and a
fresh browser context per test: each test logs in itself through the stand-in ID-porten. Every
page a test opens is watched: a JavaScript exception, a CSP violation ("Refused to …" or "…
violates the following Content Security Policy directive …") or any other console error fails
the test, except the browser's "Failed to load resource" lines for API answers the site handles
(401/403; a test may allow more with `browser_problems.allow_status(...)`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.portal import CHROMIUM, CHROMIUM_ARGS, STACKS, BrowserProblems, Stack

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    running = Stack()
    STACKS[running.base_url] = running
    try:
        yield running
    finally:
        STACKS.pop(running.base_url, None)
        running.stop()


@pytest.fixture(scope="session")
def base_url(stack: Stack) -> str:
    return stack.base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_problems(request: pytest.FixtureRequest) -> BrowserProblems:
    problems = BrowserProblems()
    request.node.browser_problems = problems
    return problems


@pytest.fixture
def new_context(browser: Browser, base_url: str, browser_problems: BrowserProblems
                ) -> Iterator[Callable[..., BrowserContext]]:
    """Makes fresh, watched browser contexts (another browser in the same test, e.g. for a replay)."""
    made: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(15_000)
        context.on("page", browser_problems.watch)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A test whose pages logged an error fails, even if its own assertions passed."""
    result = yield
    problems: BrowserProblems | None = getattr(item, "browser_problems", None)
    if problems is not None:
        problems.settle()
        if problems.problems:
            raise AssertionError("the browser reported problems:\n  " + "\n  ".join(problems.problems))
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failing browser test shows the end of the local stack's output too."""
    report = yield
    if report.failed and "stack" in getattr(item, "fixturenames", ()):
        for running in STACKS.values():
            report.sections.append(("local stack output (last lines)", running.output()))
    return report
