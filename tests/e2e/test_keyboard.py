"""Keyboard use: the skip link comes first and takes you to the content."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("logged_in", [False, True], ids=["login-page", "dashboard"])
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, login_as, logged_in):
    if logged_in:
        login_as(page, "beheerder@pia.test")
    else:
        page.goto("/inloggen")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["width"] > 1 and box["height"] > 1
    assert box["x"] >= 0 and box["y"] >= 0, f"skip link not on screen when focused: {box}"

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    focused_in_main = page.evaluate(
        "() => document.querySelector('main').contains(document.activeElement)"
    )
    assert focused_in_main
