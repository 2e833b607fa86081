"""The side checks themselves: axe, console, CSP and page errors are really caught."""

from playwright.sync_api import Route, expect

CSP_PAGE = (
    '<!doctype html><html lang="nl"><head><title>Zelftest</title></head><body><main>'
    '<h1>Zelftest</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
    "<script>document.title = 'inline';</script></main></body></html>"
)
ERROR_PAGE = (
    '<!doctype html><html lang="nl"><head><title>Zelftest</title></head><body><main>'
    "<h1>Zelftest</h1><script>console.error('boem'); throw new Error('kaboom');</script>"
    "</main></body></html>"
)


def _serve(status: int, body: str, headers: dict[str, str]):
    def handler(route: Route) -> None:
        route.fulfill(status=status, body=body, headers={"content-type": "text/html", **headers})

    return handler


def test_checks_report_axe_violations_console_csp_and_page_errors(page, page_checks):
    page.route(
        "**/zelftest/csp", _serve(200, CSP_PAGE, {"content-security-policy": "script-src 'self'"})
    )
    page.route("**/zelftest/fout", _serve(500, ERROR_PAGE, {}))
    page.goto("/zelftest/csp")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zelftest")
    page.goto("/zelftest/fout")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zelftest")

    report = "\n".join(page_checks.verify([]))

    assert "image-alt [critical]" in report, report
    assert "/zelftest/csp (HTTP 200)" in report, report
    assert "Content Security Policy" in report, report
    assert "boem" in report, report
    assert "kaboom" in report, report
    assert "HTTP 500" in report, report
    # Seen and reported: clear them so that this test itself passes.
    for found in (page_checks.snapshots, page_checks.console_errors):
        found.clear()
    page_checks.page_errors.clear()
    page_checks.server_errors.clear()


WIDE_PAGE = (
    '<!doctype html><html lang="nl"><head><title>Zelftest</title></head><body><main>'
    '<h1>Zelftest</h1><div style="width:900px">Te breed voor een telefoon</div>'
    '<div style="overflow-x:auto"><div style="width:2000px">Schuift zonder label</div></div>'
    '<div class="table-wrap" role="region" tabindex="0" aria-label="Tabel" '
    'style="overflow-x:auto"><div style="width:2000px">Schuift met label</div></div>'
    "</main></body></html>"
)


def test_checks_report_horizontal_overflow_at_390_and_1280(page, page_checks):
    page.route("**/zelftest/breed", _serve(200, WIDE_PAGE, {}))
    page.goto("/zelftest/breed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zelftest")

    report = "\n".join(page_checks.verify([]))

    assert "horizontal-overflow-390px" in report, report
    assert "Te breed voor een telefoon" in report, report
    assert "scrolls sideways without a labelled region" in report, report
    # At 1280 px only the unlabelled scroll box is wrong; the labelled region is fine.
    wide = report.split("horizontal-overflow-1280px")[1]
    assert "Te breed" not in wide.split("horizontal-overflow")[0], report
    assert "Schuift met label" not in report, report
    page_checks.snapshots.clear()
