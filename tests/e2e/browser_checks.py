"""What every e2e test checks on the side: axe-core on every page, and a clean console.

Why axe runs on a copy of each page: in the test's own page there is no safe moment. A
check started on the `load` event races the test's next click (the evaluation dies with
the page), and a check started when the next navigation begins never returns (while that
navigation's request is held, Chromium answers no DevTools calls to the old document).
So every document the test's pages receive is kept (status, headers, HTML) and, at the end
of the test, replayed into a separate page of its own: same URL, same headers (the app's
CSP included), same CSS and JavaScript from the live server, same viewport. axe-core is
injected there with `page.evaluate` (DevTools evaluation is not subject to the CSP; the
CSP stays as it is). A page from a context without JavaScript is replayed with the app's
scripts blocked (axe itself needs JavaScript: in a context without it, axe.run never
returns).
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Response

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => [n.target.join(' '), n.html.slice(0, 160)]),
  }));
}"""
# Widths at which every page must fit: nothing wider than the viewport, except inside a
# scroll region that says so (role=region, a label, keyboard-focusable, class table-wrap).
OVERFLOW_WIDTHS = [1280, 390]
OVERFLOW_CHECK = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  if (root.scrollWidth > width) problems.push(`document ${root.scrollWidth}px wide`);
  const isRegion = (el) => el.classList.contains('table-wrap')
    && el.getAttribute('role') === 'region'
    && (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))
    && el.getAttribute('tabindex') === '0';
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.position === 'fixed') continue;
    const scrolls = ['auto', 'scroll'].includes(style.overflowX)
      && el.scrollWidth > el.clientWidth + 1;
    if (scrolls && !isRegion(el)) {
      problems.push(`${el.tagName.toLowerCase()}.${el.className} `
        + 'scrolls sideways without a labelled region');
    }
    if (el.closest('.table-wrap')) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest('.visually-hidden')) {
      const where = `${el.tagName.toLowerCase()}.${el.className}`;
      problems.push(`${where} reaches ${Math.round(box.right)}px: `
        + (el.textContent || '').trim().slice(0, 60));
    }
    if (problems.length > 6) break;
  }
  return problems;
}"""
# Response headers that must not be replayed as they were.
DROPPED_HEADERS = {"content-length", "content-encoding", "transfer-encoding", "connection"}
DROPPED_HEADERS |= {"set-cookie"}
# Hidden inputs (CSRF tokens) differ on every visit but cannot matter to axe.
HIDDEN_INPUT = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")
# Chromium may ask for /favicon.ico on its own; that is not the page's doing (an icon the
# page links to, e.g. static/img/favicon.svg, is checked like everything else).
IGNORED_CONSOLE = [re.compile(r"/favicon\.ico: ")]


@dataclass
class Snapshot:
    """One document as a test's page received it."""

    url: str
    status: int
    headers: dict[str, str]
    response: Response
    viewport: dict | None = None
    javascript: bool = True
    body: str | None = None
    error: str | None = None

    def capture(self) -> None:
        """Read the body (at once: Chromium drops it when the page navigates on)."""
        if self.body is not None:
            return
        try:
            self.body = self.response.text()
        except Error as exc:
            self.error = str(exc)


@dataclass
class Violation:
    url: str
    status: int
    rule: str
    impact: str
    help: str
    help_url: str
    targets: list[tuple[str, str]]  # (CSS selector, HTML snippet)

    def __str__(self) -> str:
        targets = "\n".join(f"        - {t}   {html}" for t, html in self.targets)
        return (
            f"  {self.url} (HTTP {self.status})\n"
            f"    {self.rule} [{self.impact}]: {self.help}\n      {self.help_url}\n{targets}"
        )


class AxeChecker:
    """A page of its own (JavaScript on, no cookies) in which snapshots are replayed and checked."""

    def __init__(self, browser: Browser, axe_source: str):
        self.axe_source = axe_source
        self.context = browser.new_context()
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.version = ""
        self.checked: list[str] = []  # every URL checked in the session, in order
        self.cache: dict[str, list[dict]] = {}  # same markup, same result: checked once
        self.cache_hits = 0

    def check(self, snap: Snapshot) -> list[Violation]:
        """Return the axe violations of one snapshot (replayed, or from the cache)."""
        self.checked.append(snap.url)
        key = hashlib.sha256(
            "\n".join(
                [
                    f"{snap.status} {snap.viewport} {snap.javascript}",
                    snap.headers.get("content-security-policy", ""),
                    HIDDEN_INPUT.sub("<input type=hidden>", snap.body or ""),
                ]
            ).encode()
        ).hexdigest()
        if key in self.cache:
            self.cache_hits += 1
        else:
            self.cache[key] = self._run(snap)
        return [
            Violation(
                snap.url, snap.status, v["id"], v["impact"], v["help"], v["helpUrl"], v["targets"]
            )
            for v in self.cache[key]
        ]

    def _run(self, snap: Snapshot) -> list[dict]:
        headers = {k: v for k, v in snap.headers.items() if k.lower() not in DROPPED_HEADERS}

        def replay(route):
            route.fulfill(status=snap.status, headers=headers, body=snap.body)

        def is_snapshot(url: str) -> bool:
            return url == snap.url

        def no_script(route):
            route.abort()

        if snap.viewport:
            self.page.set_viewport_size(snap.viewport)
        self.page.route(is_snapshot, replay)
        if not snap.javascript:
            self.page.route("**/*.js", no_script)
        try:
            self.page.goto(snap.url, wait_until="load")
        finally:
            self.page.unroute(is_snapshot, replay)
            if not snap.javascript:
                self.page.unroute("**/*.js", no_script)
        self.page.evaluate(self.axe_source)
        self.version = self.page.evaluate("() => axe.version")
        violations = self.page.evaluate(AXE_RUN, AXE_TAGS)
        before = self.page.viewport_size
        for width in OVERFLOW_WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 800})
            problems = self.page.evaluate(OVERFLOW_CHECK)
            if problems:
                violations.append(
                    {
                        "id": f"horizontal-overflow-{width}px",
                        "impact": "serious",
                        "help": f"Nothing may be wider than a {width}px viewport",
                        "helpUrl": "https://www.w3.org/WAI/WCAG21/Understanding/reflow.html",
                        "targets": [[p, ""] for p in problems],
                    }
                )
        if before:
            self.page.set_viewport_size(before)
        return violations

    def close(self) -> None:
        self.context.close()


@dataclass
class PageChecks:
    """Per test: the documents received, console errors, page errors and server errors."""

    checker: AxeChecker
    snapshots: list[Snapshot] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern] = field(default_factory=list)
    checked: list[tuple[str, int, int]] = field(default_factory=list)  # url, status, violations
    watched: list[Page] = field(default_factory=list)

    def allow_console_error(self, pattern: str) -> None:
        """Accept console errors matching `pattern` (e.g. the 429 a throttling test provokes)."""
        self.allowed_console.append(re.compile(pattern))

    def watch(self, page: Page, javascript: bool = True) -> None:
        """Listen to everything a page does (every page of the fixtures' contexts, popups too)."""
        if page in self.watched:
            return
        self.watched.append(page)
        page.on("console", lambda msg: self._on_console(page, msg))
        page.on("pageerror", lambda exc: self.page_errors.append(f"{page.url}: {exc}"))
        page.on("response", lambda response: self._on_response(page, response, javascript))

    def _on_console(self, page: Page, msg: ConsoleMessage) -> None:
        text = msg.text
        if msg.type != "error" and "Content Security Policy" not in text:
            return
        where = msg.location.get("url") or page.url
        line = f"{where}: [{msg.type}] {text}"
        if any(p.search(line) for p in IGNORED_CONSOLE + self.allowed_console):
            return
        self.console_errors.append(line)

    def _on_response(self, page: Page, response: Response, javascript: bool) -> None:
        if response.status >= 500:
            self.server_errors.append(f"HTTP {response.status} {response.url}")
        request = response.request
        if request.resource_type != "document" or response.frame != page.main_frame:
            return
        if 300 <= response.status < 400:
            return  # a redirect: no document of its own
        content_type = response.headers.get("content-type", "")
        disposition = response.headers.get("content-disposition", "")
        if not content_type.startswith("text/html") or disposition.startswith("attachment"):
            return  # a download or a plain-text file: nothing for axe
        snap = Snapshot(
            response.url,
            response.status,
            response.headers,
            response,
            viewport=page.viewport_size,
            javascript=javascript,
        )
        self.snapshots.append(snap)
        snap.capture()

    def verify(self, server_log: list[str]) -> list[str]:
        """Run axe on every snapshot; return the problems as readable lines."""
        violations: list[Violation] = []
        problems: list[str] = []
        for snap in self.snapshots:
            if snap.body is None:
                problems.append(
                    f"Could not capture {snap.url} for axe: {snap.error}\n"
                    "  (The page was left within milliseconds of loading; wait for something "
                    "on it first, e.g. expect(heading).to_have_text(...).)"
                )
                continue
            found = self.checker.check(snap)
            self.checked.append((snap.url, snap.status, len(found)))
            violations.extend(found)
        if not self.checked:
            problems.append("No page was checked with axe-core in this test.")
        if violations:
            problems.append(
                f"axe-core {self.checker.version} ({', '.join(AXE_TAGS)}): "
                f"{len(violations)} violation(s)\n" + "\n".join(str(v) for v in violations)
            )
        for title, lines in [
            ("Console errors (CSP violations included)", self.console_errors),
            ("Uncaught JavaScript errors", self.page_errors),
            ("Server errors (HTTP 5xx)", self.server_errors),
            ("Errors in the app's log", server_log),
        ]:
            if lines:
                problems.append(title + ":\n" + "\n".join(f"  {line}" for line in lines))
        return problems
