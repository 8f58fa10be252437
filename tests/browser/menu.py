"""Following the site menu as a user does: an entry inside a section is reached by opening the section first."""


def follow_menu(page, label: str) -> None:
    nav = page.get_by_role("navigation", name="主导航")
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        # Roles leave out what a closed section hides; its link is found by its text.
        nav.locator("details", has=page.locator(f"a:text-is('{label}')")).locator("summary").click()
    link.click()
